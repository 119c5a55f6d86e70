"""A criteria table as one self-contained HTML page: readable in a browser, printed on A4
landscape (headers repeated on every page, rows not split). Every text is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ..text import Lang, nfc
from .layout import Cell, Column, axis_rule, columns, date, legend, rows, validity, value_axes
from .model import CriterionDoc, IndicatorDoc, LadderDoc, RulesetDoc
from .wording import UNVERIFIED, unit_kind, word

__all__ = ["ladder_html", "ruleset_html"]

STYLE = """
body { font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt;
  color: #111; margin: 1.5em; }
h1 { font-size: 16pt; margin: 0 0 .4em; } h2 { font-size: 13pt; margin: 1.2em 0 .4em; }
h3 { font-size: 11.5pt; margin: 1em 0 .3em; }
.facts { margin: 0 0 .6em; } .facts span { margin-right: 1.2em; white-space: nowrap; }
code { font-size: 95%; }
table { border-collapse: collapse; width: 100%; margin: .3em 0 1em; }
caption { text-align: left; } caption p { margin: 0 0 .3em; }
th, td { border: 1px solid #888; padding: 2px 4px; vertical-align: top; text-align: left; }
th { background: #e8e8e8; }
td.value { text-align: right; white-space: nowrap; }
td.number, td.period { white-space: nowrap; } td.number { font-weight: bold; }
td.first { border-top: 2px solid #444; }
.unverified { background: #fff1b8; }
.provincial { font-weight: bold; color: #0b4f9c; }
.open { font-style: italic; color: #8a1c7c; }
.note { color: #555; font-size: 90%; }
.legend li { margin: .1em 0; }
.mark { font-weight: bold; }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  body { margin: 0; font-size: 8pt; }
  h2 { break-after: avoid; } h3 { break-after: avoid; }
  thead { display: table-header-group; }
  tr, div.criterion { break-inside: avoid; }
  .unverified { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  section.level { break-before: page; }
  a { color: inherit; text-decoration: none; }
}
"""


def e(text: str) -> str:
    return escape(text, quote=True)


def ruleset_html(doc: RulesetDoc, lang: Lang) -> str:
    """One ruleset's criteria table as a whole HTML page."""
    return _page(doc.title(lang), _ruleset(doc, lang, 1), lang)


def ladder_html(doc: LadderDoc, lang: Lang) -> str:
    """A ladder: its levels and targets, then one section per level (each from a new page)."""
    parts = [f"<h1>{e(doc.title(lang))}</h1>"]
    parts.append(
        f'<p class="facts"><span>{e(word("id", lang))}: <code>{e(doc.id)}</code></span>'
        f"<span>{e(word('file', lang))}: <code>{e(doc.file)}</code></span></p>"
    )
    parts.append(f'<h2>{e(word("ladder", lang))}</h2><ol start="0">')
    parts.append(f"<li>{e(word('below', lang))}: {e(doc.below(lang))}</li>")
    for level in doc.levels:
        parts.append(f"<li>{e(level.level(lang))} (<code>{e(level.id)}</code>)</li>")
    parts.append("</ol>")
    if doc.targets:
        parts.append(f"<h2>{e(word('targets', lang))}</h2><ul>")
        for target in doc.targets:
            line = target.text(lang)
            note = f' <span class="note">({e(target.note)})</span>' if target.note else ""
            parts.append(f"<li>{e(line)}{note}</li>")
        parts.append("</ul>")
    for level in doc.levels:
        parts.append(f'<section class="level">{_ruleset(level, lang, 2)}</section>')
    return _page(doc.title(lang), "\n".join(parts), lang)


def _page(title: str, body: str, lang: Lang) -> str:
    return nfc(
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )


def _ruleset(doc: RulesetDoc, lang: Lang, level: int) -> str:
    h1, h2, h3 = f"h{level}", f"h{level + 1}", f"h{level + 2}"
    parts = [f"<{h1}>{e(doc.title(lang))}</{h1}>"]
    facts = [
        (word("id", lang), f"<code>{e(doc.id)}</code>"),
        (word("version", lang), e(doc.version)),
        (word("hash", lang), f"<code>{e(doc.content_hash[:12])}</code>"),
        (word("file", lang), f"<code>{e(doc.file)}</code>"),
        (word("unit_kind", lang), e(unit_kind(doc.unit, lang))),
        (word("level", lang), e(doc.level(lang))),
        (word("valid", lang), e(validity(doc, lang))),
    ]
    if doc.extends:
        facts.append((word("extends", lang), f"<code>{e(doc.extends)}</code>"))
    if doc.scope is not None:
        facts.append((word("scope", lang), e(doc.scope(lang))))
    parts.append(
        '<p class="facts">'
        + "".join(f"<span>{e(name)}: {value}</span> " for name, value in facts)
        + "</p>"
    )
    if doc.note:
        parts.append(f'<p class="note">{e(doc.note)}</p>')
    parts.append(f"<{h2}>{e(word('documents', lang))}</{h2}><ul>")
    for document in doc.documents:
        item = f"<b>{e(document.number)}</b>"
        if document.date:
            item += f" ({e(date(document.date, lang))})"
        if document.title:
            item += f": {e(document.title(lang))}"
        if document.url:
            item += f' — <a href="{e(document.url)}">{e(document.url)}</a>'
        if document.note:
            item += f'<br><span class="note">{e(word("doc_note", lang))}: {e(document.note)}</span>'
        parts.append(f"<li>{item}</li>")
    parts.append("</ul>")
    for axis in doc.axes:
        parts.append(f"<{h2}>{e(word('axes', lang))} ({e(axis.label(lang).lower())})</{h2}>")
        parts.append(f"<p>{e(word('axis_rules', lang))}</p><ol>")
        parts.extend(f"<li>{e(axis_rule(rule, lang))}</li>" for rule in axis.rules)
        parts.append("</ol>")
        keys = ", ".join(f"<b>{e(k.short(lang))}</b>: {e(k.name(lang))}" for k in axis.keys)
        parts.append(f"<p>{e(word('columns', lang))}: {keys}.</p>")
    parts.append(f"<{h2}>{e(word('policy_level', lang))}</{h2}><ul>")
    parts.append(f"<li>{e(doc.level_policy(lang))}</li>")
    if doc.prerequisite is not None:
        parts.append(f"<li>{e(word('prerequisite', lang))}: {e(doc.prerequisite(lang))}</li>")
    parts.append("</ul>")
    if doc.computed:
        parts.append(f"<{h2}>{e(word('computed', lang))}</{h2}><ul>")
        parts.extend(f"<li>{e(line(lang))}</li>" for line in doc.computed)
        parts.append("</ul>")
    parts.append(_legend(doc, lang, h2))
    cols = columns(doc, lang)
    for criterion in doc.criteria:
        parts.append(_criterion(criterion, cols, lang, h3))
    if doc.recognition is not None:
        recognition = doc.recognition
        caption = (
            f"<{h2}>{e(recognition.name(lang))}</{h2}>"
            f"<p>{e(word('col_source', lang))}: {e(recognition.source.render(lang))}</p>"
        )
        table = _table(recognition.conditions, cols, lang, caption)
        parts.append(f'<div class="criterion">{table}</div>')
    if doc.checklist:
        parts.append(f"<{h2}>{e(word('checklist', lang))}</{h2}><ul>")
        for check in doc.checklist:
            parts.append(
                f"<li><code>{e(check.target)}</code> {e(check.label(lang))}: {e(check.note)}</li>"
            )
        parts.append("</ul>")
    return "\n".join(parts)


def _legend(doc: RulesetDoc, lang: Lang, h: str) -> str:
    items = []
    for mark, meaning in legend(value_axes(doc), lang):
        shown = f'<span class="mark">{e(mark)}</span> ' if mark else ""
        style = ' class="unverified"' if mark == UNVERIFIED else ""  # shows the highlight
        items.append(f"<li>{shown}<span{style}>{e(meaning)}</span></li>")
    return f'<{h}>{e(word("legend", lang))}</{h}><ul class="legend">{"".join(items)}</ul>'


def _criterion(criterion: CriterionDoc, cols: Sequence[Column], lang: Lang, h: str) -> str:
    title = f"{word('criterion', lang)} {criterion.id}. {criterion.name(lang)}"
    facts = []
    if criterion.heading is not None:
        facts.append(f"{word('heading', lang)}: {criterion.heading(lang)}")
    facts.append(f"{word('col_source', lang)}: {criterion.source.render(lang)}")
    facts.append(criterion.policy(lang))
    caption = f"<{h}>{e(title)}</{h}><p>{e(' · '.join(facts))}</p>"
    return f'<div class="criterion">{_table(criterion.indicators, cols, lang, caption)}</div>'


def _table(
    indicators: Sequence[IndicatorDoc], cols: Sequence[Column], lang: Lang, caption: str = ""
) -> str:
    """A table; its caption (the criterion's heading) stays with its first rows in print."""
    head = "".join(f"<th>{e(c.title)}</th>" for c in cols)
    body = []
    for row in rows(indicators, cols, lang):
        cells = "".join(
            _td(cell, col, row.first) for cell, col in zip(row.cells, cols, strict=True)
        )
        body.append(f"<tr>{cells}</tr>")
    return (
        f"<table>\n<caption>{caption}</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(body)
        + "\n</tbody></table>"
    )


def _td(cell: Cell, col: Column, first: bool) -> str:
    classes = []
    if col.key in ("value", "number", "period"):
        classes.append(col.key)
    if first:
        classes.append("first")
    if cell.unverified:
        classes.append("unverified")
    if cell.provincial:
        classes.append("provincial")
    if cell.open:
        classes.append("open")
    attributes = f' class="{" ".join(classes)}"' if classes else ""
    if cell.note:
        attributes += f' title="{e(cell.note)}"'
    text = "<br>".join(e(line) for line in cell.text.split("\n"))
    if col.key == "period":
        text = text.replace(" – ", " –<br>")
    return f"<td{attributes}>{text}</td>"
