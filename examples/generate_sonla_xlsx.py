#!/usr/bin/env python3
"""Write ``sonla-communes-2023.xlsx``: the SYNTHETIC communes of ``sonla-communes-2023.json`` in
the layout of ``ntm-rules template --ruleset sonla.commune.2021`` (Vietnamese headings in row
1, field names and units in row 2, Có/Không, region names, numbers as numbers). The bytes
depend only on the JSON file and the rulesets.

    python examples/generate_sonla_xlsx.py            # the checked-in example file
    python examples/generate_sonla_xlsx.py --check    # exit 1 if the file is not up to date
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from ntm_rules.batch import resolve
from ntm_rules.template import template_xlsx

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "sonla-communes-2023.json"
TARGET = HERE / "sonla-communes-2023.xlsx"
LADDER = "sonla.commune.2021"


def workbook(source: Path = SOURCE) -> bytes:
    """The workbook of the communes in ``source``."""
    units = json.loads(source.read_text(encoding="utf-8"))["units"]
    return template_xlsx(resolve(LADDER), "vi", records={"commune": units}, file_name=TARGET.name)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=TARGET, help="the file to write")
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    data = workbook()
    if args.check:
        same = args.out.exists() and args.out.read_bytes() == data
        if not same:
            sys.stderr.write(f"{args.out} is not up to date: run {Path(__file__).name}\n")
        return 0 if same else 1
    args.out.write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
