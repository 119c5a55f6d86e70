"""The results workbook (``evaluate --format xlsx``): summary, units, criteria matrix,
indicator detail and errors sheets, in Vietnamese or English; the row builders are in
:mod:`.rows` and :mod:`.summary` for other reports to reuse."""

from .book import data_set_workbook, ladder_workbook, ruleset_workbook
from .rows import RowError

__all__ = ["RowError", "data_set_workbook", "ladder_workbook", "ruleset_workbook"]
