"""The report as one self-contained HTML page: inline CSS and SVG, no script, no request; each
unit's explanation one click away (``<details>``); printable on A4. Every text is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..text import Lang, Text, format_number, nfc
from ..unit_kinds import unit_kind
from .charts import Bar, Stack, bar_chart, e, stacked_chart
from .collect import Missed, Section
from .style import STYLE
from .words import bucket_label, word

MISSED_SHOWN = 10  # criteria in a "most often missed" chart


def report_page(
    title: str, facts: Sequence[tuple[str, str]], sections: Sequence[Section], lang: Lang
) -> str:
    """The whole page: a title, the facts (rules, data), then each section."""
    parts = [f'<header><h1>{e(title)}</h1><dl class="facts">']
    parts += [f"<div><dt>{e(name)}</dt><dd>{e(value)}</dd></div>" for name, value in facts]
    parts.append("</dl></header>")
    if len(sections) > 1:
        parts.append(f"<nav><h2>{e(word('contents', lang))}</h2><ol>")
        parts += [
            f'<li><a href="#s{n}">{e(section.title)}</a></li>' for n, section in enumerate(sections)
        ]
        parts.append("</ol></nav>")
    for n, section in enumerate(sections):
        parts.append(_section(section, n, lang))
    parts.append(f'<footer><p class="note">{e(word("generated", lang))}</p></footer>')
    return nfc(
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(parts)
        + "\n</body>\n</html>\n"
    )


def _section(section: Section, n: int, lang: Lang) -> str:
    units = unit_kind(section.kind).plural(lang)
    parts = [
        f'<section id="s{n}" class="ladder">',
        f"<h2>{e(section.title)} <small>({e(section.ident)})</small></h2>",
        _cards(section, lang),
        '<div class="charts">',
    ]
    parts.append(_figure("places", *_places_chart(section, lang)))
    if section.ladder:
        parts.append(
            _figure("levels", *_levels_chart(section, lang), extra=_target_lines(section, lang))
        )
    parts.append(_figure("distribution", *_distribution_chart(section, lang)))
    if section.districts:
        title = word("districts_title", lang).format(units=units.capitalize())
        stacks = [Stack(d.name, d.counts) for d in section.districts]
        parts.append(_figure("districts", title, stacked_chart(title, section.places, stacks)))
    for missed in section.missed:
        if missed.criteria:
            parts.append(_figure("missed", *_missed_chart(missed, units, lang)))
    parts.append("</div>")
    parts.append(_summary_table(section, lang))
    parts.append(_units_table(section, lang))
    parts.append("</section>")
    return "\n".join(parts)


def _cards(section: Section, lang: Lang) -> str:
    summary = section.summary
    cards: list[tuple[str, str, str]] = [("units", str(summary["units"]), "")]
    if section.ladder:
        for level in summary["levels"]:
            cards.append(("", str(level["at_or_above"]), Text(**level["name"])(lang)))
    else:
        cards.append(("met", str(summary["met"]), ""))
        if summary["missing"]:
            cards.append(("missing", str(summary["missing"]), ""))
    if summary["average_criteria_met"] is not None:
        average = format_number(summary["average_criteria_met"], lang)
        cards.append(("average", f"{average}/{summary['criteria_total']}", ""))
    recognised = summary.get("recognised_not_met")
    if isinstance(recognised, int) and recognised:
        cards.append(("recognised_not_met", str(recognised), ""))
    for level in summary.get("levels", []):
        if level["recognised_not_met"]:
            name = f"{word('recognised_not_met', lang)} ({Text(**level['name'])(lang)})"
            cards.append(("", str(level["recognised_not_met"]), name))
    if summary.get("next_level_missing_data"):
        cards.append(("next_missing", str(summary["next_level_missing_data"]), ""))
    if summary["rests_on_unverified"]:
        cards.append(("unverified", str(summary["rests_on_unverified"]), ""))
    items = "".join(
        f'<div class="card"><span class="number">{e(number)}</span>'
        f'<span class="what">{e(label or word(key, lang))}</span></div>'
        for key, number, label in cards
    )
    return f'<div class="cards">{items}</div>'


def _figure(name: str, title: str, svg: str, *, extra: str = "") -> str:
    """A chart with its caption; ``name`` (``data-chart``) says which chart it is."""
    caption = f"<figcaption>{e(title)}</figcaption>"
    return f'<figure class="chart" data-chart="{name}">{caption}{svg}{extra}</figure>'


def _places_chart(section: Section, lang: Lang) -> tuple[str, str]:
    summary = section.summary
    if section.ladder:
        title = word("places", lang)
        counts = [place["units"] for place in summary["places"]]
        kinds = [f"part{n}" for n in range(len(counts))]
    else:
        title = word("statuses", lang)
        counts = [summary["met"], summary["not_met"], summary["missing"]]
        kinds = ["met", "not_met", "missing"]
    bars = [
        Bar(name, count, kind=kind)
        for name, count, kind in zip(section.places, counts, kinds, strict=True)
    ]
    return title, bar_chart(title, bars, word("target", lang))


def _levels_chart(section: Section, lang: Lang) -> tuple[str, str]:
    summary = section.summary
    counts = {
        t["level"]: t["count"]
        for t in summary["targets"]
        if t["kind"] == "count" and t["count"] is not None
    }
    bars = [
        Bar(
            f"{Text(**level['name'])(lang)} ({word('at_or_above', lang)})",
            level["at_or_above"],
            target=counts.get(level["ruleset"]),
            kind=f"part{n + 1}",
        )
        for n, level in enumerate(summary["levels"])
    ]
    for target in summary["targets"]:  # named units and floors: a bar each, after the levels
        if target["kind"] == "units":
            bars.append(
                Bar(target["text"][lang], target["reached"], len(target["units"]), "target_bar")
            )
        elif target["kind"] == "floor":
            units = unit_kind(section.kind).plural(lang)
            label = word("below_floor", lang).format(text=target["text"][lang], units=units)
            bars.append(Bar(label, target["below"], 0, "not_met"))
    title = word("levels", lang)
    return title, bar_chart(title, bars, word("target", lang))


def target_line(target: dict[str, Any], lang: Lang, units: str) -> str:
    """A target and where the units stand against it, with ✓ or ✗."""
    mark = "✓" if target["met"] else "✗"
    text = target["text"][lang]
    if target["kind"] == "floor":
        line = word("target_floor", lang).format(text=text, below=target["below"], units=units)
        return f"{mark} {line}"
    if target["kind"] == "units":
        names = ", ".join(
            f"{u['name'] or u['code']}: "
            + word("target_reached" if u["reached"] else "target_not_reached", lang)
            if u["reached"] is not None
            else f"{u['code']}: " + word("target_absent", lang)
            for u in target["units"]
        )
        return f"{mark} " + word("target_units", lang).format(text=text, units=names)
    return f"{mark} " + word("target_count", lang).format(
        text=text, reached=target["reached"], count=target["count"]
    )


def _target_lines(section: Section, lang: Lang) -> str:
    targets = section.summary["targets"]
    units = unit_kind(section.kind).plural(lang)
    if not targets:
        return ""
    items = "".join(
        f'<li class="{"ok" if t["met"] else "short"}">{e(target_line(t, lang, units))}</li>'
        for t in targets
    )
    return f'<p class="targets-head">{e(word("targets", lang))}</p><ul class="targets">{items}</ul>'


def _distribution_chart(section: Section, lang: Lang) -> tuple[str, str]:
    bands = section.summary["distribution"]
    bars = [
        Bar(bucket_label(b["min"], b["max"], lang), b["units"], kind=f"band{n}")
        for n, b in enumerate(bands)
    ]
    title = word("distribution", lang)
    if section.ladder and section.summary["levels"]:
        level = Text(**section.summary["levels"][0]["name"])(lang)
        title += f" ({word('distribution_of', lang).format(level=level)})"
    return title, bar_chart(title, bars, word("target", lang))


def _missed_chart(missed: Missed, units: str, lang: Lang) -> tuple[str, str]:
    title = word("missed_title", lang).format(level=missed.level, count=missed.units, units=units)
    bars = [
        Bar(f"{criterion}. {name}", count, kind="not_met")
        for criterion, name, count in missed.criteria[:MISSED_SHOWN]
    ]
    svg = bar_chart(title, bars, word("target", lang))
    left = len(missed.criteria) - MISSED_SHOWN
    if left > 0:
        svg += f'<p class="note">{e(word("missed_more", lang).format(count=left))}</p>'
    return title, svg


def _summary_table(section: Section, lang: Lang) -> str:
    """The numbers behind the charts, as a table."""
    summary = section.summary
    rows: list[tuple[str, str]] = []
    if section.ladder:
        rows += [
            (name, str(p["units"]))
            for name, p in zip(section.places, summary["places"], strict=True)
        ]
    else:
        counts = (summary["met"], summary["not_met"], summary["missing"])
        rows += [(name, str(c)) for name, c in zip(section.places, counts, strict=True)]
    bands = [
        (bucket_label(b["min"], b["max"], lang), str(b["units"])) for b in summary["distribution"]
    ]
    head = word("places" if section.ladder else "statuses", lang)
    body = "".join(
        f'<tr class="group"><th colspan="2">{e(title)}</th></tr>'
        + "".join(f'<tr><th scope="row">{e(a)}</th><td class="n">{e(b)}</td></tr>' for a, b in part)
        for title, part in ((head, rows), (word("distribution", lang), bands))
    )
    body += (
        f'<tr class="total"><th scope="row">{e(word("units", lang))}</th>'
        f'<td class="n">{summary["units"]}</td></tr>'
    )
    district_table = _district_table(section, lang) if section.districts else ""
    return (
        f'<h3>{e(word("summary", lang))}</h3><div class="scroll"><table class="summary">'
        f'<thead><tr><th></th><th class="n">{e(word("count", lang))}</th></tr></thead>'
        f"<tbody>{body}</tbody></table></div>{district_table}"
    )


def _district_table(section: Section, lang: Lang) -> str:
    head = "".join(f'<th class="n">{e(name)}</th>' for name in section.places)
    rows = []
    totals = [0] * len(section.places)
    for district in section.districts:
        counts = list(district.counts) + [0] * (len(section.places) - len(district.counts))
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        cells = "".join(f'<td class="n">{c}</td>' for c in counts)
        rows.append(
            f'<tr><th scope="row">{e(district.name)}</th>{cells}'
            f'<td class="n">{sum(counts)}</td></tr>'
        )
    cells = "".join(f'<td class="n">{c}</td>' for c in totals)
    rows.append(
        f'<tr class="total"><th scope="row">{e(word("total", lang))}</th>{cells}'
        f'<td class="n">{sum(totals)}</td></tr>'
    )
    return (
        f'<h3>{e(word("districts", lang))}</h3><div class="scroll"><table class="districts">'
        f"<thead><tr><th>{e(word('district', lang))}</th>{head}"
        f'<th class="n">{e(word("total", lang))}</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _units_table(section: Section, lang: Lang) -> str:
    with_district = any(row.district for row in section.rows)
    head = [word("code", lang), word("name", lang)]
    if with_district:
        head.append(word("district", lang))
    head += [
        word("place" if section.ladder else "status", lang),
        word("criteria_next" if section.ladder else "criteria_met", lang),
        word("nearest", lang),
    ]
    rows = []
    for row in section.rows:
        name = row.name or row.code
        cells = [
            f'<td data-label="{e(head[0])}"><code>{e(row.code)}</code></td>',
            f'<td class="unit"><details><summary>{e(name)}</summary>'
            f'<pre class="explanation">{e(row.explanation)}</pre></details></td>',
        ]
        if with_district:
            cells.append(f'<td data-label="{e(head[2])}">{e(row.district or "")}</td>')
        labels = [e(h) for h in head[-3:]]
        cells += [
            f'<td data-label="{labels[0]}"><span class="status {e(row.status)}">'
            f"{e(row.place)}</span></td>",
            f'<td class="n" data-label="{labels[1]}">{e(row.criteria)}</td>',
            f'<td data-label="{labels[2]}">{e(row.nearest)}</td>' if row.nearest else "<td></td>",
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    header = "".join(f"<th>{e(h)}</th>" for h in head)
    return (
        f'<h3>{e(word("table", lang))}</h3><p class="note">{e(word("explain_hint", lang))}</p>'
        f'<div class="scroll"><table class="units"><thead><tr>{header}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
