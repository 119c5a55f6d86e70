"""Units of measure used by inputs and parameters, with their bilingual symbols."""

from __future__ import annotations

from .text import Text

UNITS: dict[str, Text] = {
    "percent": Text(vi="%", en="%"),
    "mvnd_per_person_year": Text(vi="triệu đồng/người/năm", en="million VND/person/year"),
    "m2_per_person": Text(vi="m²/người", en="m²/person"),
    "count": Text(vi="", en=""),
    "year": Text(vi="", en=""),
}


def unit_symbol(unit: str | None, lang: str = "vi") -> str:
    """The symbol written after a value; '' for counts and plain numbers."""
    if unit is None or unit not in UNITS:
        return ""
    return UNITS[unit].en if lang == "en" else UNITS[unit].vi
