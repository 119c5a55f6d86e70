"""What every attack uses: the files and rulesets attacked, text helpers, and :class:`Section`,
the figures of one attack (counts by outcome, extra figures, failures)."""

from __future__ import annotations

import traceback
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import REPO

NATIONAL_ID = "vn.commune.ntm.2021"
SONLA_ID = "sonla.commune.ntm.2021"
NATIONAL_FILE = REPO / "rulesets" / "national" / "commune-ntm-2021.yaml"
SONLA_FILE = REPO / "rulesets" / "son-la" / "commune-ntm-2021.yaml"
MINIMAL_FILE = REPO / "tests" / "fixtures" / "minimal-valid.yaml"
MINIMAL_TEXT = MINIMAL_FILE.read_text(encoding="utf-8")
NATIONAL_TEXT = NATIONAL_FILE.read_text(encoding="utf-8")
BASE = {"code": "A", "region": "tn", "year": 2024}  # the least a record of the national set holds
PLACES = (
    "Sơn La",
    "Mộc Châu",
    "Hà Nội",
    "Đắk Lắk",
    "Thừa Thiên Huế",
    "Bà Rịa - Vũng Tàu",
    "Quỳnh Nhai",
    "Mường La",
    "Sốp Cộp",
    "Phù Yên",
    "Ea H'Leo",
    "Bản Phủ 🌾",
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def short(text: object, limit: int = 160) -> str:
    """One line, at most ``limit`` characters, unprintable characters escaped."""
    flat = " ".join(str(text).split())
    flat = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in flat)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def named(exc: BaseException) -> str:
    """``RulesetError: message``: the exception's class and message, on one line."""
    return f"{type(exc).__name__}: {short(exc)}"


def last_frames(exc: BaseException, frames: int = 4) -> str:
    """The exception and the last frames of its traceback, on one line."""
    where = traceback.extract_tb(exc.__traceback__)[-frames:]
    path = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(where))
    return f"{type(exc).__name__}: {short(exc, 200)} [{path}]"


@dataclass
class Section:
    """The figures of one attack: counts by outcome, extra figures, and the failures."""

    key: str
    title: str
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    kinds: list[str] = field(default_factory=list)  # one per failure, for the summary

    def fail(self, message: str, kind: str | None = None) -> None:
        """Record a failure; ``kind`` groups alike failures in the report."""
        self.failures.append(message)
        self.kinds.append(kind or message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "counts": self.counts,
            **self.extra,
            "failures": self.failures,
            "seconds": round(self.seconds, 1),
        }


def figures(counts: dict[str, int], names: Iterable[str]) -> str:
    """``evaluated 598  input-errors 564``: the named counts, in that order."""
    return "  ".join(f"{name} {counts.get(name, 0)}" for name in names)
