"""Parameters against the evidence: what supports, contradicts or proposes.

A parameter declares in ``metadata.evidence`` the claim kinds it
corresponds to (:class:`tradepact.core.parameters.EvidenceLink`). For a
parameter read on a date ``D`` (value ``v`` in force, valid from ``s``),
each stored claim of the declared kind, partner and scope from a document
dated from ``s - window`` up to the day before the next value's start and
no later than ``D`` when a date is asked (else ``s + window``; undated
documents are included and shown as undated) is:

* **support** when it agrees with ``v`` within the declared tolerance;
* for a final term (``role: final``), a **proposal** when it disagrees with
  ``v`` but agrees with a parameter under ``proposals.*`` that declares the
  same kind, partner and scope: the claim is about a negotiating position,
  and the matched proposal path is given;
* otherwise a **contradiction**. For a proposal (``role: proposal``) a
  disagreeing claim that matches another proposal is listed with it; only
  claims attributed to its proposer (``proposal_of``) can contradict it;
  others that disagree are left out (another party's position).

A parameter whose value in force is an assumption (``status: assumption``)
and that the evidence contradicts is **flagged**. Won amounts are compared
after conversion at the dated, cited won-dollar rate
(:func:`krw_claim_in_usd_bn`).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from ..core.dates import parse_date
from ..core.errors import ParameterError
from ..core.parameters import EvidenceLink, Parameter, ParameterNode, ParameterUse, default_parameters
from .models import Claim
from .store import EvidenceStore, StoredClaim

#: Days before a value's start from which reports count toward it.
DEFAULT_WINDOW_DAYS = 120
FX_PATH = "kr.macro.exchange_rate_krw_per_usd"


@dataclass(frozen=True)
class Finding:
    """One claim held against one parameter."""

    claim: StoredClaim
    compared_value: float
    link: EvidenceLink
    proposal_path: str | None = None
    conversion: ParameterUse | None = None

    def to_dict(self) -> dict[str, Any]:
        out = self.claim.to_dict()
        out["compared_value"] = self.compared_value
        if self.proposal_path:
            out["proposal"] = self.proposal_path
        if self.conversion is not None:
            out["converted_with"] = self.conversion.to_dict()
        return out

    def sentence(self) -> str:
        """"<quote>" (publisher, date: title), for ``params show`` and reports."""
        d = self.claim.document
        when = d.published.isoformat() if d.published else "undated"
        return f"\u201c{self.claim.claim.quote}\u201d ({d.publisher or 'unknown publisher'}, {when}: " \
               f"{d.title or d.file})"


@dataclass
class ParameterEvidence:
    """The evidence for one parameter on one date."""

    path: str
    date: _dt.date
    value: float | None
    unit: str
    status: str
    supports: list[Finding] = field(default_factory=list)
    contradicts: list[Finding] = field(default_factory=list)
    proposals: list[Finding] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        """An assumption that the evidence contradicts."""
        return self.status == "assumption" and bool(self.contradicts)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "date": self.date.isoformat(), "value": self.value,
                "unit": self.unit, "status": self.status, "flagged": self.flagged,
                "supports": [f.to_dict() for f in self.supports],
                "contradicts": [f.to_dict() for f in self.contradicts],
                "proposals": [f.to_dict() for f in self.proposals]}


def _scope_matches(link: EvidenceLink, claim: Claim) -> bool:
    if link.scope is None:
        return True
    if claim.scope is None:
        return False
    return claim.scope == link.scope or claim.base_scope == link.scope


def krw_claim_in_usd_bn(claim: Claim, on: _dt.date | None,
                        tree: ParameterNode | None = None) -> tuple[float, ParameterUse] | None:
    """A won claim in USD bn at the won-dollar rate in force on ``on``.

    Returns the converted value and the parameter read (with its citation),
    or ``None`` if the claim is not in won or no rate is known on that date.
    ``krw_tn`` is 10^12 won: USD bn = won tn * 1000 / (KRW per USD).
    """
    scale = {"krw_tn": 1000.0, "krw_bn": 1.0, "krw_tn_per_year": 1000.0, "krw_bn_per_year": 1.0}
    if claim.unit not in scale or on is None:
        return None
    tree = tree or default_parameters()
    param = tree.parameter(FX_PATH)
    try:
        use = param.use(on)
    except ParameterError:  # no rate on that date
        return None
    rate = float(use.value)  # type: ignore[arg-type]
    return claim.value * scale[claim.unit] / rate, use


def _compared(claim: StoredClaim, link: EvidenceLink,
              tree: ParameterNode) -> tuple[float, ParameterUse | None] | None:
    c = claim.claim
    value, conversion = c.value, None
    if c.unit.startswith("krw_") and c.kind != "exchange_rate":
        converted = krw_claim_in_usd_bn(c, claim.document.published, tree)
        if converted is None:
            return None
        value, conversion = converted
    if link.complement:
        value = 1.0 - value
    return value, conversion


def _proposal_links(tree: ParameterNode) -> list[tuple[Parameter, EvidenceLink]]:
    return [(p, link) for p in tree.walk() for link in p.evidence if link.role == "proposal"]


def for_parameter(path: str, store: EvidenceStore, *, on: _dt.date | str | None = None,
                  tree: ParameterNode | None = None,
                  window_days: int = DEFAULT_WINDOW_DAYS) -> ParameterEvidence:
    """Supports, contradictions and proposal claims for the parameter at ``path``.

    ``on`` defaults to the latest start date of the parameter's values.
    """
    tree = tree or default_parameters()
    param = tree.parameter(path)
    day = parse_date(on) if on is not None else param.values[-1].start
    dv = param.dated_at(day)
    value = dv.value
    out = ParameterEvidence(path, day, float(value) if isinstance(value, (int, float)) else None,
                            param.unit, dv.status)
    if out.value is None:
        return out
    later = [v.start - _dt.timedelta(days=1) for v in param.values if v.start > dv.start]
    for link in param.evidence:
        _hold(out, link, store, tree, start=dv.start, later=later, on=day if on is not None else None,
              window_days=window_days)
    return out


def hold_value(value: float, link: EvidenceLink, store: EvidenceStore, *, start: _dt.date,
               on: _dt.date | None = None, label: str = "value", unit: str = "",
               status: str = "reported", tree: ParameterNode | None = None,
               window_days: int = DEFAULT_WINDOW_DAYS) -> ParameterEvidence:
    """Hold any number against the claims, as :func:`for_parameter` does for a
    parameter: e.g. a tariff measure's rate in force from ``start`` with
    ``EvidenceLink(kind="tariff_rate", partner="KOR", scope="autos")``."""
    out = ParameterEvidence(label, on or start, float(value), unit or link.kind, status)
    _hold(out, link, store, tree or default_parameters(), start=start, later=[], on=on,
          window_days=window_days)
    return out


def _hold(out: ParameterEvidence, link: EvidenceLink, store: EvidenceStore, tree: ParameterNode, *,
          start: _dt.date, later: list[_dt.date], on: _dt.date | None, window_days: int) -> None:
    """Sort the claims matching ``link`` into ``out``'s supports, contradictions
    and proposals (see the module docstring for the rules)."""
    assert out.value is not None
    window = link.window_days if link.window_days is not None else window_days
    earliest = start - _dt.timedelta(days=window)
    until = min([on if on is not None else start + _dt.timedelta(days=window)] + later)
    proposals = [(p, pl) for p, pl in _proposal_links(tree) if p.path != out.path]
    seen = {(f.claim.document.id, f.claim.claim.char_span, f.claim.claim.value, f.claim.claim.scope)
            for f in out.supports + out.contradicts + out.proposals}
    for sc in store.claims(kind=link.kind, partner=link.partner):
        published = sc.document.published
        if published is not None and not (earliest <= published <= until):
            continue
        key = (sc.document.id, sc.claim.char_span, sc.claim.value, sc.claim.scope)
        if not _scope_matches(link, sc.claim) or key in seen:
            continue
        seen.add(key)
        compared = _compared(sc, link, tree)
        if compared is None:
            continue
        cval, conversion = compared
        if link.within(cval, out.value):
            out.supports.append(Finding(sc, cval, link, None, conversion))
            continue
        match = _matching_proposal(sc, link, proposals)
        if match is not None:
            out.proposals.append(Finding(sc, cval, link, match, conversion))
        elif link.role != "proposal" or (link.proposal_of and sc.claim.attributed_to == link.proposal_of):
            out.contradicts.append(Finding(sc, cval, link, None, conversion))


def _matching_proposal(sc: StoredClaim, link: EvidenceLink,
                       proposals: list[tuple[Parameter, EvidenceLink]]) -> str | None:
    """The path of a proposal parameter the claim agrees with, if any."""
    for param, plink in proposals:
        if (plink.kind, plink.partner) != (link.kind, link.partner) or not _scope_matches(plink, sc.claim):
            continue
        for dv in param.values:
            if not isinstance(dv.value, (int, float)) or isinstance(dv.value, bool):
                continue
            cval = 1.0 - sc.claim.value if plink.complement else sc.claim.value
            if plink.within(cval, float(dv.value)):
                return param.path
    return None


def check_all(store: EvidenceStore, *, on: _dt.date | str | None = None,
              tree: ParameterNode | None = None,
              window_days: int = DEFAULT_WINDOW_DAYS) -> list[ParameterEvidence]:
    """:func:`for_parameter` for every parameter that declares evidence."""
    tree = tree or default_parameters()
    out = []
    for param in tree.walk():
        if not param.evidence:
            continue
        day = parse_date(on) if on is not None else None
        if day is not None and param.values[0].start > day:
            continue
        try:
            out.append(for_parameter(param.path, store, on=day, tree=tree, window_days=window_days))
        except ParameterError:  # no value on ``on`` (it ended): nothing to check
            continue
    return out
