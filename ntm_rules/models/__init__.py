"""Input models: the units (commune, village) and the vocabularies rulesets are written against."""

from .village_2021 import Village, Village2021

__all__ = ["Village", "Village2021"]
