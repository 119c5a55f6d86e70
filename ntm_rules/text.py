"""Bilingual (Vietnamese / English) text, always NFC-normalised."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from typing import Literal

import attrs

Lang = Literal["vi", "en"]
LANGS: tuple[Lang, ...] = ("vi", "en")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode normal form C (composed diacritics)."""
    return unicodedata.normalize("NFC", text)


@attrs.frozen
class Text:
    """A user-facing text in Vietnamese (the default) and English."""

    vi: str = attrs.field(converter=nfc)
    en: str = attrs.field(converter=nfc)

    def __call__(self, lang: Lang = "vi") -> str:
        return self.en if lang == "en" else self.vi

    def to_dict(self) -> dict[str, str]:
        return {"vi": self.vi, "en": self.en}


def format_number(value: float, lang: Lang = "vi") -> str:
    """Format a number the way each language writes it (``3,2`` in Vietnamese, ``3.2`` in English)."""
    if isinstance(value, bool):
        return str(value)
    if float(value).is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def closest(word: str, known: Iterable[object]) -> str | None:
    """The known name closest to ``word`` (a likely typo of it), if any is close."""
    hint = difflib.get_close_matches(word, [str(k) for k in known], n=1)
    return hint[0] if hint else None


def did_you_mean(word: str, known: Iterable[object]) -> Text:
    """`` (did you mean 'x'?)`` for the closest known name, or nothing."""
    hint = closest(word, known)
    if hint is None:
        return Text(vi="", en="")
    return Text(vi=f" (có phải '{hint}'?)", en=f" (did you mean '{hint}'?)")
