"""Macro stress: the pledge against the investor's reserves and external accounts."""

from .stress import MacroPosition, StressResult, stress

__all__ = ["MacroPosition", "StressResult", "stress"]
