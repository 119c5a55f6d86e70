"""The input template: an Excel workbook an office fills in, one column per input a ruleset or
ladder reads, for every kind of unit its evaluation needs.

:mod:`.columns` works out the sheets and their columns from the rulesets, :mod:`.workbook`
writes them (headers, data validation, instructions) with openpyxl.
"""

from __future__ import annotations

from .columns import TemplateSheet, needed_fields, template_sheets
from .workbook import template_xlsx

__all__ = ["TemplateSheet", "needed_fields", "template_sheets", "template_xlsx"]
