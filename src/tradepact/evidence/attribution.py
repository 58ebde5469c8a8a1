"""Who a figure is attributed to: the party whose statement presents it.

For a figure at a position in a sentence: "according to X" names X; else
the speech verb ("said", "announced", "wants", "pushed for" ...) nearest to
the figure in its clause, with its subject (the nearest speaker ending
just before the verb, an apposition ", who led the talks," skipped; or,
after "said", the speaker following it). A bare surname or pronoun
subject ("Kim said", "he added") takes the last party named on the page;
"officials said" takes the figure's partner. A sentence inside a
quotation whose speaker was named before carries that party. Otherwise the
figure is the reporter's. Analysts, think tanks and lobbies give ``None``
(a third party), as in the labelled sets.
"""

from __future__ import annotations

import re

from . import lexicon as L

_CLAUSE_BREAK = re.compile(r"(?:,\s+(?:and|but|while|whereas)\s+|;\s+|\s+while\s+|\s+but\s+)")
_QUOTE = re.compile(r"[\"“”]")


def attribution(s: str, pos: int, carried: str | None, speaker: str | None = None) -> str | None:
    """The party presenting the figure at ``pos`` (see module docstring, step 7)."""
    clause_start = 0
    for b in _CLAUSE_BREAK.finditer(s, 0, pos):
        clause_start = b.end()
    clause_end = len(s)
    nb = _CLAUSE_BREAK.search(s, pos)
    if nb:
        clause_end = nb.start()
    acc = L.ACCORDING.search(s)
    if acc:
        party = _speaker_party(acc.group("who"))
        if party != "none":
            return party
    best: tuple[int, str | None] | None = None
    for verb in L.SPEECH.finditer(s, clause_start, clause_end):
        party = _subject_of(s, verb.start(), verb.end(), clause_start, clause_end)
        if party is _NOBODY:
            continue
        dist = abs(pos - verb.start())
        if best is None or dist < best[0]:
            best = (dist, party)
    if best is not None:
        if best[1] == "@carried":
            back = speaker if speaker is not None else carried
            return back if back is not None else "reporter"
        return best[1]
    if carried is not None and _QUOTE.search(s):
        return carried
    return "reporter"


_NOBODY = "<nobody>"


def _subject_of(s: str, vstart: int, vend: int, lo: int, hi: int) -> str | None:
    """The party of the speaker of the verb at ``vstart``: the nearest
    speaker ending within 60 characters before it (an apposition such as
    ", who led the talks," skipped), else one right after it ("said Kim")."""
    best: tuple[int, str | None] | None = None
    head = s[lo:vstart]
    apposition = re.search(r",\s+(?:who|which)\b[^,]{0,160},\s*$", head)
    end = lo + (apposition.start() if apposition else len(head))
    for rx, party in L.SPEAKER_RX:
        for m in rx.finditer(s, max(lo, end - 60), end):
            gap = end - m.end()
            if best is None or gap < best[0]:
                best = (gap, party)
        m2 = rx.match(s, vend + 1) if vend + 1 < hi and L.INVERTED.fullmatch(s[vstart:vend]) else None
        if m2 and best is None:
            best = (0, party)
    if best is None and L.PRONOUN.search(s[max(lo, end - 20):end]):
        return "@carried"
    return best[1] if best is not None else _NOBODY  # type: ignore[return-value]


def _speaker_party(who: str) -> str | None:
    for rx, party in L.SPEAKER_RX:
        if rx.search(who):
            return party
    return "reporter" if L.REPORTER_SOURCES.search(who) else "none"  # type: ignore[return-value]
