"""Printable criteria tables of a ruleset or a ladder, in Markdown, HTML and Excel.

:func:`build` turns a loaded :class:`~ntm_rules.ruleset.model.Ruleset` (or a ladder and its
levels' rulesets) into the neutral model of :mod:`.model`: every criterion and indicator in the
decision's order, each condition in words, each threshold value by axis key (``general`` and
every region, or whatever axis the ruleset declares) and by period, with its citation and marks
for unverified, provincial and open values. :func:`render` prints that model; the layout shared
by the three formats is in :mod:`.layout`.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..ladder import Ladder
from ..ruleset.model import Ruleset
from ..text import LANGS, Lang, nfc
from .build import build_ladder_document, build_ruleset_document
from .html import ladder_html, ruleset_html
from .markdown import esc, ladder_markdown, ruleset_markdown
from .model import LadderDoc, RulesetDoc
from .wording import word

__all__ = ["FORMATS", "SUFFIXES", "build", "index_markdown", "render"]

FORMATS = ("md", "html", "xlsx")
SUFFIXES = {"md": ".md", "html": ".html", "xlsx": ".xlsx"}


def build(target: Ruleset | Ladder, levels: Sequence[Ruleset] = ()) -> RulesetDoc | LadderDoc:
    """The document of a ruleset, or of a ladder whose levels' rulesets are ``levels``."""
    if isinstance(target, Ladder):
        return build_ladder_document(target, levels)
    return build_ruleset_document(target)


def render(doc: RulesetDoc | LadderDoc, output_format: str, lang: Lang) -> bytes:
    """The document as a file's bytes: ``md`` and ``html`` in UTF-8, or an ``xlsx`` workbook."""
    if output_format == "xlsx":
        from .xlsx import ladder_xlsx, ruleset_xlsx  # openpyxl is loaded only when needed

        return ladder_xlsx(doc, lang) if isinstance(doc, LadderDoc) else ruleset_xlsx(doc, lang)
    if output_format == "html":
        text = ladder_html(doc, lang) if isinstance(doc, LadderDoc) else ruleset_html(doc, lang)
    elif output_format == "md":
        text = (
            ladder_markdown(doc, lang)
            if isinstance(doc, LadderDoc)
            else ruleset_markdown(doc, lang)
        )
    else:
        raise ValueError(f"unknown format {output_format!r}; use one of {', '.join(FORMATS)}")
    return text.encode("utf-8")


def index_markdown(docs: Sequence[RulesetDoc | LadderDoc], suffix: str, command: str) -> str:
    """The index of a folder of criteria tables (``<lang>/<id><suffix>``), in both languages."""
    lines: list[str] = []
    for lang in LANGS:
        lines += [f"# {word('index_title', lang)}", "", word("index_intro", lang, command=command)]
        other = "en" if lang == "vi" else "vi"
        for kind, heading in ((RulesetDoc, "index_rulesets"), (LadderDoc, "index_ladders")):
            chosen = [d for d in docs if isinstance(d, kind)]
            if not chosen:
                continue
            lines += ["", f"## {word(heading, lang)}", ""]
            lines.append(f"| {word('id', lang)} | {esc(word('criteria_table', lang))} | {other} |")
            lines.append("|---|---|---|")
            for doc in chosen:
                name = f"{doc.id}{suffix}"
                title = esc(doc.title(lang)).replace("[", "\\[").replace("]", "\\]")
                lines.append(
                    f"| `{doc.id}` | [{title}]({lang}/{name}) | [{other}]({other}/{name}) |"
                )
        lines.append("")
    return nfc("\n".join(lines))
