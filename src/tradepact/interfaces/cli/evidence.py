"""``tradepact evidence``: news reports as evidence (see :mod:`tradepact.interfaces.evidence_cli`)."""

from ..evidence_cli import evidence_cmd

__all__ = ["evidence_cmd"]
