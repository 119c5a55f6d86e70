"""A criteria table as Markdown (GitHub-flavoured tables), for docs/criteria and the terminal."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..text import Lang, nfc
from .layout import Column, axis_rule, columns, date, legend, rows, validity, value_axes
from .model import CriterionDoc, IndicatorDoc, LadderDoc, RulesetDoc
from .wording import unit_kind, word

__all__ = ["ladder_markdown", "ruleset_markdown"]

_SPECIAL = re.compile(r"([\\`*_|])")


def esc(text: str) -> str:
    """Text as Markdown shows it literally (no emphasis, no HTML, no table break)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", text)


def ruleset_markdown(doc: RulesetDoc, lang: Lang, level: int = 1) -> str:
    """One ruleset's criteria table; ``level`` is the heading level of its title."""
    return nfc("\n".join(_ruleset(doc, lang, level)) + "\n")


def ladder_markdown(doc: LadderDoc, lang: Lang) -> str:
    """A ladder: its levels, the provincial targets, then one section per level."""
    lines = [f"# {esc(doc.title(lang))}", ""]
    lines.append(f"**{word('id', lang)}:** `{doc.id}` · **{word('file', lang)}:** `{doc.file}`")
    lines.append("")
    lines.append(f"## {word('ladder', lang)}")
    lines.append("")
    lines.append(f"0. {esc(word('below', lang))}: {esc(doc.below(lang))}")
    for n, level in enumerate(doc.levels, 1):
        lines.append(f"{n}. {esc(level.level(lang))} (`{level.id}`)")
    if doc.targets:
        lines += ["", f"## {word('targets', lang)}", ""]
        for target in doc.targets:
            line = target.text(lang)
            lines.append(f"- {esc(line)}" + (f" ({esc(target.note)})" if target.note else ""))
    text = "\n".join(lines) + "\n"
    for level in doc.levels:
        text += "\n" + "\n".join(_ruleset(level, lang, 2)) + "\n"
    return nfc(text)


def _ruleset(doc: RulesetDoc, lang: Lang, level: int) -> list[str]:
    h = "#" * level
    lines = [f"{h} {esc(doc.title(lang))}", ""]
    lines.append(
        f"**{word('id', lang)}:** `{doc.id}` · {word('version', lang)} {esc(doc.version)} · "
        f"{word('hash', lang)} `{doc.content_hash[:12]}`  "
    )
    lines.append(f"**{word('file', lang)}:** `{doc.file}`  ")
    lines.append(
        f"**{word('unit_kind', lang)}:** {esc(unit_kind(doc.unit, lang))} · "
        f"**{word('level', lang)}:** {esc(doc.level(lang))}  "
    )
    lines.append(f"**{word('valid', lang)}:** {validity(doc, lang)}  ")
    if doc.extends:
        lines.append(f"**{word('extends', lang)}:** `{doc.extends}`  ")
    if doc.scope is not None:
        lines.append(f"**{word('scope', lang)}:** {esc(doc.scope(lang))}  ")
    if doc.note:
        lines += ["", f"> {esc(doc.note)}"]
    lines += ["", f"{h}# {word('documents', lang)}", ""]
    for document in doc.documents:
        line = f"- **{esc(document.number)}**"
        if document.date:
            line += f" ({date(document.date, lang)})"
        if document.title:
            line += f": {esc(document.title(lang))}"
        if document.url:
            line += f" — <{esc_url(document.url)}>"
        if document.note:
            line += f"  \n  _{esc(word('doc_note', lang))}: {esc(document.note)}_"
        lines.append(line)
    lines += _axes(doc, lang, h)
    lines += ["", f"{h}# {word('policy_level', lang)}", ""]
    lines.append(f"- {esc(doc.level_policy(lang))}")
    if doc.prerequisite is not None:
        lines.append(f"- {word('prerequisite', lang)}: {esc(doc.prerequisite(lang))}")
    if doc.computed:
        lines += ["", f"{h}# {word('computed', lang)}", ""]
        lines += [f"- {esc(line(lang))}" for line in doc.computed]
    lines += ["", f"{h}# {word('legend', lang)}", ""]
    for mark, meaning in legend(value_axes(doc), lang):
        lines.append(f"- {mark + ' ' if mark else ''}{esc(meaning)}")
    cols = columns(doc, lang)
    for criterion in doc.criteria:
        lines += _criterion(criterion, cols, lang, h)
    if doc.recognition is not None:
        recognition = doc.recognition
        lines += ["", f"{h}# {esc(recognition.name(lang))}", ""]
        lines.append(f"{word('col_source', lang)}: {esc(recognition.source.render(lang))}")
        lines += ["", *_table(recognition.conditions, cols, lang)]
    if doc.checklist:
        lines += ["", f"{h}# {word('checklist', lang)}", ""]
        for item in doc.checklist:
            lines.append(f"- `{item.target}` {esc(item.label(lang))}: {esc(item.note)}")
    return lines


def _axes(doc: RulesetDoc, lang: Lang, h: str) -> list[str]:
    lines: list[str] = []
    for axis in doc.axes:
        lines += ["", f"{h}# {word('axes', lang)} ({esc(axis.label(lang).lower())})", ""]
        lines += [word("axis_rules", lang), ""]
        for n, rule in enumerate(axis.rules, 1):
            lines.append(f"{n}. {esc(axis_rule(rule, lang))}")
        keys = ", ".join(f"{esc(k.short(lang))}: {esc(k.name(lang))}" for k in axis.keys)
        lines += ["", f"{word('columns', lang)}: {keys}."]
    return lines


def _criterion(criterion: CriterionDoc, cols: Sequence[Column], lang: Lang, h: str) -> list[str]:
    lines = ["", f"{h}# {word('criterion', lang)} {esc(criterion.id)}. {esc(criterion.name(lang))}"]
    facts = []
    if criterion.heading is not None:
        facts.append(f"{word('heading', lang)}: {esc(criterion.heading(lang))}")
    facts.append(f"{word('col_source', lang)}: {esc(criterion.source.render(lang))}")
    facts.append(esc(criterion.policy(lang)))
    lines += ["", " · ".join(facts), ""]
    return lines + _table(criterion.indicators, cols, lang)


def _table(indicators: Sequence[IndicatorDoc], cols: Sequence[Column], lang: Lang) -> list[str]:
    lines = ["| " + " | ".join(esc(c.title) for c in cols) + " |"]
    lines.append("|" + "|".join("---" for _ in cols) + "|")
    for row in rows(indicators, cols, lang):
        lines.append("| " + " | ".join(_cell_text(c.text) for c in row.cells) + " |")
    return lines


def _cell_text(text: str) -> str:
    return "<br>".join(esc(line) for line in text.split("\n"))


def esc_url(url: str) -> str:
    """A URL inside ``<…>``: without the characters that would end or break it."""
    return url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
