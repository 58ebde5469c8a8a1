"""Macro engines: the pledge against the investor's reserves and external accounts, and joint draws."""

from .stress import MacroPosition, StressResult, stress

__all__ = ["MacroPosition", "StressResult", "stress"]
