"""News as evidence: raw reports -> claims with provenance -> parameters.

Layers (each a module under 400 lines):

* :mod:`.ingest` and :mod:`.text` read raw pages (``.txt``, ``.html``,
  ``.eml``, ``.mbox``), strip the furniture and find title, publisher, date
  and language;
* :mod:`.numbers`, :mod:`.claims`, :mod:`.attribution` and :mod:`.lexicon`
  extract the quantitative claims of each sentence (fixed vocabulary in
  :mod:`.models`);
* :mod:`.store` keeps documents (original bytes included) and claims in
  SQLite; :mod:`.pipeline` runs batches with per-file errors;
* :mod:`.check` holds parameters against claims, :mod:`.timeline` shows
  how a figure moved; :mod:`.score` measures extraction on labelled sets.

For other layers (``params show``, the report)::

    from tradepact.evidence import open_store, for_parameter, check_all, build_timeline
    with open_store() as store:                     # the user's or the shipped store
        ev = for_parameter("deals.us_kr_2025.cash.annual_cap_usd_bn", store)
        for f in ev.supports: print(f.sentence())   # "quote" (publisher, date: title)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .check import ParameterEvidence, check_all, for_parameter
    from .store import EvidenceStore
    from .timeline import Timeline
    from .timeline import timeline as build_timeline

__all__ = ["open_store", "for_parameter", "check_all", "build_timeline", "ParameterEvidence",
           "EvidenceStore", "Timeline"]


def open_store(path: str | None = None, *, readonly: bool = True) -> "EvidenceStore":
    """Open the evidence store: ``path``, else ``$TRADEPACT_EVIDENCE_DB``, else
    the user's default store; a reader without one gets the shipped store."""
    from .store import EvidenceStore, resolve_store
    return EvidenceStore(resolve_store(path, for_writing=not readonly), readonly=readonly)


def __getattr__(name: str) -> Any:
    if name in ("for_parameter", "check_all", "ParameterEvidence"):
        from . import check
        return getattr(check, name)
    if name in ("build_timeline", "Timeline"):
        from . import timeline as tl
        return tl.timeline if name == "build_timeline" else tl.Timeline
    if name == "EvidenceStore":
        from .store import EvidenceStore
        return EvidenceStore
    raise AttributeError(name)
