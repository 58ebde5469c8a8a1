"""Rates in a sentence: the scopes of a tariff rate, the stage of a profit split.

A tariff rate's scopes are the sectors its clause names ("whereas" and "; "
end a clause), without those after "apart from / except / such as", plus
``reciprocal`` when the clause says so, plus ``general`` when no sector is
named or "including" lists sectors of a wider tariff. A page about one
sector lends it to tariff sentences that name none. "up to / cap / limit"
before the figure makes the scope a ceiling (``:up_to``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from . import lexicon as L
from . import numbers as N
from .text import sentences

_ANY_SECTOR = re.compile("|".join(f"(?:{p})" for _, p in L.SECTORS), re.I)
_CONTRAST = re.compile(r",\s+(?:whereas|while|but)\b|;\s+|\s+whereas\s+")


def _clause(s: str, pos: int) -> str:
    """The part of ``s`` around ``pos`` between contrast breaks ("whereas", "; ")."""
    start, stop = 0, len(s)
    for b in _CONTRAST.finditer(s):
        if b.end() <= pos:
            start = b.end()
        elif b.start() >= pos:
            stop = b.start()
            break
    return s[start:stop]


#: "tariffs on imports, including autos": the sectors are part of a wider tariff.
_WIDER = re.compile(r"\b(?:imports|goods|products|items|tariffs?|rate|levy|duties)\b[^.;]{0,60}?"
                    r"\bincluding\b", re.I)


def tariff_scopes(s: str, m: N.Mention, mentions: Sequence[N.Mention],
                   doc_sector: str | None) -> list[str]:
    clause = _clause(s, m.start)
    if not (any(rx.search(clause) for _, rx in L.SECTOR_RX) or L.RECIPROCAL.search(clause)
            or L.GENERIC_GOODS.search(clause)):
        clause = s
    scoped = L.SCOPE_EXCEPT.sub(" ", clause)
    scopes = [scope for scope, rx in L.SECTOR_RX if rx.search(scoped)]
    if "auto_parts" in scopes and "autos" not in scopes and not re.search(
            r"\b(?:auto|car|vehicle)[- ]parts\b", scoped, re.I):
        scopes.remove("auto_parts")
    if L.RECIPROCAL.search(clause):
        scopes.append("reciprocal")
    if not scopes and doc_sector and not L.GENERIC_GOODS.search(clause):
        scopes.append(doc_sector)
    if not scopes or _WIDER.search(clause):
        scopes.append("general")
    prev = max((o.stop for o in mentions if o.stop <= m.start), default=0)
    window = s[max(prev, m.start - 90):m.start]
    ceiling = bool(L.UP_TO.search(window)) and not re.search(r"\bfrom\b", window[-20:])
    return [sc + (":up_to" if ceiling else "") for sc in scopes]


def dominant_sector(text: str, ranges: Iterable[tuple[int, int]]) -> str | None:
    """The one sector a page is about: named in at least three sentences and
    in at least 70 % of the sentences that name any sector."""
    counts: Counter[str] = Counter()
    for a, b in ranges:
        for sa, sb in sentences(text, a, b):
            if not _ANY_SECTOR.search(text, sa, sb):
                continue
            named = {scope for scope, rx in L.SECTOR_RX if rx.search(text[sa:sb])}
            counts.update(named)
    if not counts:
        return None
    scope, n = counts.most_common(1)[0]
    return scope if n >= 3 and n >= 0.7 * sum(counts.values()) else None


def profit_scope(s: str, m: N.Mention) -> str:
    after_at = L.RECOUP_AFTER.search(s)
    before_at = L.RECOUP_BEFORE.search(s)
    if after_at and before_at:
        return "after_recoup" if m.start >= after_at.start() else "before_recoup"
    if before_at:
        return "before_recoup"
    if after_at:
        return "after_recoup"
    return "unspecified"


def rate_is_tariff(s: str) -> bool:
    """"rate" without "tariff": a tariff rate unless another rate is named."""
    return not re.search(r"\b(?:interest|exchange|growth|unemployment|inflation|tax|"
                         r"utili[sz]ation|approval|birth|savings)\b", s, re.I)
