"""The verification worksheet: unverified values and wordings out to an Excel workbook an
official fills in from the official texts, and the confirmed values back into the YAML files.

:mod:`.columns` names the workbook's columns and sheets, :mod:`.write` builds the workbook from
audit items, :mod:`.read` reads the filled rows back, :mod:`.yaml_edit` finds and edits an item in
a round-trip YAML tree, and :mod:`.apply` checks every row and writes all files or none.
"""

from __future__ import annotations

from .apply import ApplyResult, apply_worksheet
from .write import worksheet_bytes

__all__ = ["ApplyResult", "apply_worksheet", "worksheet_bytes"]
