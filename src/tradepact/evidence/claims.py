"""Claims from sentences: what kind a figure is, whose, about what, said by whom.

Method (rules, no model; see ``docs/evidence.md`` for where it fails):

1. Only sentences inside the article ranges of a page are read
   (:mod:`tradepact.evidence.text` drops the furniture).
2. Figures are found and normalised by :mod:`tradepact.evidence.numbers`.
3. A USD amount takes its *kind* from the cue words of its own segment of
   the sentence (from the figure to the next figure, then back to the
   previous one), by priority: shipbuilding, guarantees (non-cash), swap,
   reserves, cash, pledge. "$X a year" / "annual cap of $X" is
   ``cash_annual``. A segment cue that the amount is not a deal term
   (trade, energy purchases, a project, a change "down $X") drops it.
   A bracketed breakdown by partner gives each part the whole's kind and
   drops the whole (a sum over partners), as does "a combined $X".
4. A percentage is a ``tariff_rate`` when the sentence speaks of a tariff;
   its scopes come from :mod:`tradepact.evidence.rates`. "from 25 % to 15 %"
   gives two claims.
5. Splits ("50:50", "90 % of the income") are ``profit_share_host`` (first
   share = the host's), before/after recoup by the words around them.
6. The partner is "from/by <country>" right after the figure, else the
   nearest country named before it in its clause (a list "Japan and the EU"
   gives each), else one just after it, else the page's main one.
7. ``attributed_to``: see :mod:`tradepact.evidence.attribution`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from . import lexicon as L
from . import numbers as N
from .attribution import attribution
from .models import ATTRIBUTIONS, KIND_UNITS, Claim
from .rates import dominant_sector, profit_scope, rate_is_tariff, tariff_scopes
from .text import sentences

_LEFT_BREAK = re.compile(r",\s+(?:and|but|while|whereas)\s+|;\s+")
_SUCH_AS = re.compile(r"\bsuch as\b[^;$]*?(?=,\s+and\b|;|$|\band\s+\$)", re.I)


def partner_mentions(s: str) -> list[tuple[int, int, str]]:
    """``(start, stop, code)`` of every country named in ``s``."""
    return [(m.start(), m.end(), m.lastgroup or "") for m in L.PARTNER_ANY.finditer(s)
            if not (m.lastgroup == "KOR" and s[max(0, m.start() - 6):m.start()] == "North ")]


def main_partner(text: str, ranges: Iterable[tuple[int, int]]) -> str | None:
    """The country a page names most often in its article text."""
    counts: Counter[str] = Counter()
    for a, b in ranges:
        counts.update(code for _, _, code in partner_mentions(text[a:b]))
    return counts.most_common(1)[0][0] if counts else None


def _partners_for(s: str, start: int, stop: int, default: str | None,
                  mentions: list[tuple[int, int, str]]) -> list[str]:
    """Nearest country (or list of countries joined by and/commas) before the
    figure in its clause; else one named just after it (no comma or
    comparison between); else the page's main partner."""
    clause_start = 0
    for b in re.finditer(r",\s+but\b|;\s+|—", s[:start]):
        clause_start = b.end()
    before = [m for m in mentions if clause_start <= m[0] and m[1] <= start]
    after = [m for m in mentions if m[0] >= stop]
    if after and L.FROM_PARTNER.match(s[stop:after[0][0]]):
        return [after[0][2]]  # "$200bn (Won293tn) from South Korea"
    if before:
        return _group(s, before)
    if after:
        gap = s[stop:after[0][0]]
        if (len(gap) <= 50 and "," not in gap and not L.COMPARISON.search(gap)
                and not re.search(r"[\d$]", gap)):
            return [after[0][2]]
    return [default] if default else []


_MAYBE_FIGURE = re.compile(r"\d|zero", re.I)
def _group(s: str, before: list[tuple[int, int, str]]) -> list[str]:
    """The last country before a figure, with those joined to it by and/commas."""
    group = [before[-1]]
    for m in reversed(before[:-1]):
        gap = s[m[1]:group[-1][0]]
        if re.fullmatch(r"(?:'s|’s)?\s*(?:,|and|or|&)\s*(?:the\s+)?", gap):
            group.append(m)
        else:
            break
    return list(dict.fromkeys(code for *_, code in reversed(group)))


def _segments(s: str, mention: N.Mention, others: Sequence[N.Mention]) -> tuple[str, str]:
    """Text from the figure to the next figure, and from the previous one to it."""
    stop = mention.stop
    bracket = re.match(r"\s*(?:[A-Za-z.\s]{0,20})?\([^()]*\)", s[stop:])
    if bracket and any(stop <= o.start < stop + bracket.end() for o in others):
        stop += bracket.end()  # "$750bn ($550bn from Japan and ...) in cash": read past the breakdown
    nxt = min((o.start for o in others if o.start >= stop), default=len(s))
    prv = max((o.stop for o in others if o.stop <= mention.start), default=0)
    right, left = s[stop:nxt], s[prv:mention.start]
    breaks = list(_LEFT_BREAK.finditer(left))
    if breaks:  # "$150 bn through guarantees, and Korea would contribute $200 bn"
        left = left[breaks[-1].end():]
    other = L.OTHER_PORTION.search(right)
    if other:
        right = right[:other.start()]
    return _SUCH_AS.sub(" ", right), _SUCH_AS.sub(" ", left)


_LABEL = re.compile(r"(?:^|\n|[|•\-])\s*(?P<label>[A-Z][\w ()-]{2,40}):\s*(?:a further|an additional|"
                    r"about|around|some|roughly)?\s*$")


def _cue_kind(seg: str, near_end: bool) -> tuple[str | None, bool]:
    """The kind a segment's cues give (``None`` if none) and whether a cue
    that the amount is not a deal term is nearer than any kind cue."""
    hits = []
    for kind, rx in L.MONEY_KIND_RX:
        for k in rx.finditer(seg):
            dist = len(seg) - k.end() if near_end else k.start()
            if dist <= L.CLOSE_ONLY.get(kind, 10 ** 6):
                hits.append((dist, kind))
    bad = [d for d in ((len(seg) - b.end() if near_end else b.start()) for b in L.NOT_DEAL.finditer(seg))
           if d <= L.NOT_DEAL_REACH]
    nearest = min((d for d, _ in hits), default=10 ** 6)
    if bad and min(bad) < nearest:
        return None, True
    if not hits:
        return None, False
    order = [k for k, _ in L.MONEY_KINDS]
    if near_end:  # before the figure: the nearest cue ("a total $350 bn")
        return min(hits)[1], False
    return min(hits, key=lambda h: order.index(h[1]))[1], False


def _money_kind(s: str, m: N.Mention, others: Sequence[N.Mention], topic: str | None) -> str | None:
    if L.CHANGE_BEFORE.search(s[max(0, m.start - 25):m.start]):
        return None
    right, left = _segments(s, m, others)
    if L.PER_YEAR_AFTER.search(s[m.stop:m.stop + 30]) or L.PER_YEAR_BEFORE.search(left[-60:]):
        bad = _cue_kind(right, False)[1] or _cue_kind(left, True)[1]
        return None if bad else "cash_annual"  # not "$8 bn of farm purchases a year"
    label = _LABEL.search(left)
    if label and not _cue_kind(right, False)[1]:
        kind, bad = _cue_kind(label.group("label"), True)
        if kind or bad:
            return kind
    for seg, near_end in ((right, False), (left, True)):
        kind, bad = _cue_kind(seg, near_end)
        if bad:
            return None
        if kind:
            return kind if kind != "fx_reserves" or not L.RESERVE_PARTS.search(s) else None
    if L.RESERVE_PARTS.search(s):
        return None
    if "reserves" in s:
        return "fx_reserves"
    if L.DEAL_CONTEXT.search(s):
        return "pledge_total"
    return "fx_reserves" if topic == "fx_reserves" else None


def sentence_claims(s: str, offset: int, default_partner: str | None, carried: str | None,
                    topic: str | None = None, doc_sector: str | None = None,
                    speaker: str | None = None,
                    weak: list[tuple[int, float]] | None = None
                    ) -> tuple[list[Claim], str | None, str | None]:
    """Claims of one sentence ``s`` found at ``offset`` in the stored text.

    Returns the claims, the attribution to carry into a quotation that goes
    on, and the topic (``fx_reserves``) to carry to the next sentence.
    Pledge amounts read only from a weak cue ("invest $X", no "total",
    "package" or "pledge" near) are appended to ``weak`` as
    ``(sentence offset, value)``.
    """
    if not _MAYBE_FIGURE.search(s):
        return [], carried, ("fx_reserves" if "reserves" in s else None)
    usd, krw, pct, rat = N.money(s), N.won(s), N.percents(s), N.ratios(s)
    yrs, fx = N.years(s), N.fx_levels(s)
    figures = sorted(usd + krw + pct + rat + yrs + fx, key=lambda x: x.start)
    new_topic = "fx_reserves" if "reserves" in s else None
    if not figures:
        return [], carried, new_topic
    countries = partner_mentions(s)
    out: list[Claim] = []
    span = (offset, offset + len(s))
    speaker_seen = None

    def add(kind: str, value: float, unit: str, partners: list[str], scope: str | None,
            who: str | None) -> None:
        for p in partners or [None]:  # type: ignore[list-item]
            said_by = who
            if who == "@partner":  # "officials said": the officials of the partner
                said_by = p if p in ATTRIBUTIONS else "reporter"
            out.append(Claim(kind, value, unit, p, scope, said_by, s, span))

    usd_krw = usd + krw
    if L.DOMESTIC_SWAP.search(s):
        usd = [m for m in usd if not re.search(r"\bswaps?\b", s, re.I)]
    inherited: dict[int, str | None] = {}
    for m in usd + krw:
        if m.type == "usd_small":
            continue
        outer = _bracket_outer(s, m, usd)
        if outer is not None and outer.start in inherited:
            inherited[m.start] = inherited[outer.start]
        if m.type == "krw" and (re.search(r"[(（]\s*(?:about|around|approximately|roughly)?\s*$",
                                          s[:m.start]) or usd):
            continue  # a bracketed conversion of a USD figure
        kind = inherited.get(m.start) or _money_kind(s, m, usd_krw, topic)
        inherited[m.start] = kind
        combined = L.COMBINED_BEFORE.search(s[max(0, m.start - 25):m.start])
        if kind is None or combined or _is_broken_down(s, m, usd):
            continue
        unit = _unit(kind, m)
        if kind == "pledge_total" and weak is not None and unit == "usd_bn" and not \
                L.STRONG_PLEDGE.search(s[max(0, m.start - 40):m.stop + 40]):
            weak.append((offset, m.value))
        who = attribution(s, m.start, carried, speaker)
        speaker_seen = who if who != "reporter" else speaker_seen
        add(kind, m.value, unit, _partners_for(s, m.start, m.stop, default_partner, countries),
            None, who)
    tariff_sentence = bool(L.TARIFF.search(s)) or bool(re.search(r"\brate\b", s) and rate_is_tariff(s))
    for m in pct:
        if L.CHANGE_BEFORE.search(s[max(0, m.start - 25):m.start]) or L.CHANGE_AFTER.search(s[m.stop:]):
            continue
        after = s[m.stop:m.stop + 30]
        profit_share = re.match(r"\s*of (?:the )?(?:profits?|income|returns?|earnings)", after)
        if profit_share or (L.PROFIT.search(s) and not L.TARIFF.search(s)):
            if profit_share or rat or L.RECOUP_AFTER.search(s) or L.RECOUP_BEFORE.search(s):
                add("profit_share_host", m.value, "fraction",
                    _partners_for(s, m.start, m.stop, default_partner, countries),
                    profit_scope(s, m), attribution(s, m.start, carried, speaker))
            continue
        if not tariff_sentence:
            continue
        who = attribution(s, m.start, carried, speaker)
        partners = _partners_for(s, m.start, m.stop, default_partner, countries)
        for scope in tariff_scopes(s, m, pct, doc_sector):
            add("tariff_rate", m.value, "fraction", partners, scope, who)
    if rat and (L.PROFIT.search(s) or L.SPLIT.search(s) or L.RECOUP_BEFORE.search(s)
                or L.RECOUP_AFTER.search(s)):
        for m in rat:
            add("profit_share_host", m.value, "fraction",
                _partners_for(s, m.start, m.stop, default_partner, countries),
                profit_scope(s, m), attribution(s, m.start, carried, speaker))
    if yrs and L.INSTALMENT.search(s) and not L.NOT_DURATION.search(s):
        for m in yrs:
            add("duration", m.value, "years", _partners_for(s, m.start, m.stop, default_partner,
                                                            countries), None,
                attribution(s, m.start, carried, speaker))
    for m in fx:
        if L.AVERAGE.search(s[:m.start]) or L.CHANGE_BEFORE.search(
                s[max(0, m.start - 25):m.start]):
            continue
        if m.type == "krw_per_usd" and not (L.WON_CONTEXT.search(s) or "dollar" in s):
            continue
        if any(u.start <= m.start < u.stop for u in usd_krw) or m.value in {u.value for u in krw}:
            continue
        partner = "KOR" if m.type == "krw_per_usd" else "JPN"
        add("exchange_rate", m.value, m.unit, [partner], None, attribution(s, m.start, carried, speaker))
    quote_open = s.count("“") > s.count("”") or s.count('"') % 2 == 1
    return out, (speaker_seen if quote_open or speaker_seen else carried), new_topic


def _bracket_outer(s: str, m: N.Mention, usd: Sequence[N.Mention]) -> N.Mention | None:
    """The amount whose bracketed breakdown holds ``m`` ("$750bn ($550bn from
    Japan and $200bn from Korea)"), if any."""
    for o in usd:
        if o.stop <= m.start and re.fullmatch(r"\s*(?:[A-Za-z.\s]{0,20})?\([^()]*", s[o.stop:m.start]):
            return o
    return None


def _is_broken_down(s: str, m: N.Mention, usd: Sequence[N.Mention]) -> bool:
    """An amount followed by a bracket that splits it among two or more
    partners is a combined figure, not one partner's."""
    inner = [o for o in usd if _bracket_outer(s, o, usd) is m]
    if len(inner) < 2:
        return False
    close = s.find(")", m.stop)
    return len({c for *_, c in partner_mentions(s[m.stop:close if close > 0 else len(s)])}) >= 2


def _unit(kind: str, m: N.Mention) -> str:
    """The claim unit: the kind's unit, or the won unit for a won amount."""
    if m.type == "krw":
        return m.unit + ("_per_year" if kind == "cash_annual" else "")
    return KIND_UNITS[kind]


def extract_claims(text: str, ranges: Sequence[tuple[int, int]]) -> list[Claim]:
    """Every claim in the article ranges of ``text``, one per distinct
    ``(kind, value, unit, partner, scope, attributed_to)`` (first quote kept).

    A profit split with scope ``unspecified`` is dropped when the page gives
    the same split with a stage (before or after recoup) elsewhere.
    """
    default = main_partner(text, ranges) or "KOR"
    sector = dominant_sector(text, ranges)
    weak: list[tuple[int, float]] = []
    found: dict[tuple, Claim] = {}
    carried: str | None = None
    speaker: str | None = None
    topic: str | None = None
    header: list[str] | None = None
    for a, b in ranges:
        line = text[a:b]
        if line.startswith("|"):
            header, claims = table_row_claims(line, a, header, default)
            for c in claims:
                found.setdefault((c.kind, round(c.value, 6), c.unit, c.partner, c.scope,
                                  c.attributed_to), c)
            continue
        header = None
        for sa, sb in sentences(text, a, b):
            claims, carried, topic = sentence_claims(text[sa:sb], sa, default, carried, topic,
                                                     sector, speaker, weak)
            speaker = carried if carried is not None else speaker
            for c in claims:
                key = (c.kind, round(c.value, 6), c.unit, c.partner, c.scope, c.attributed_to)
                found.setdefault(key, c)
        if carried is not None and not re.search(r"[\"“]", line):
            carried = None
    _parts_of_the_package(found, set(weak))
    staged = {(c.value, c.partner) for c in found.values()
              if c.kind == "profit_share_host" and c.scope != "unspecified"}
    kept = [c for c in found.values() if not (c.kind == "profit_share_host" and
                                              c.scope == "unspecified" and
                                              (c.value, c.partner) in staged)]
    return sorted(kept, key=lambda c: c.char_span[0])


def _parts_of_the_package(found: dict[tuple, Claim], weak: set[tuple[int, float]]) -> None:
    """A smaller amount a page gives only as "invest $X", when the same page
    gives a larger pledge for the same partner, is a part of the package:
    the cash part, as no other cue names it (in place, in ``found``)."""
    largest: dict[str | None, float] = {}
    for c in found.values():
        if c.kind == "pledge_total" and c.unit == "usd_bn":
            largest[c.partner] = max(largest.get(c.partner, 0.0), c.value)
    for key, c in list(found.items()):
        if (c.kind == "pledge_total" and (c.char_span[0], c.value) in weak
                and c.value < 0.9 * largest.get(c.partner, 0.0)):
            del found[key]
            cash = Claim("cash_total", c.value, "usd_bn", c.partner, None, c.attributed_to, c.quote,
                         c.char_span)
            found.setdefault(("cash_total",) + key[1:], cash)


def table_row_claims(line: str, offset: int, header: list[str] | None,
                     default: str | None) -> tuple[list[str] | None, list[Claim]]:
    """Claims of one markdown table row; the header row names each column.

    Returns the header to use for the next row and this row's claims. A
    cell's figure takes its kind from its column's heading (e.g. "Investment
    Pledge" -> pledge, "Tariff" -> tariff rate); the row's partner is the
    country named in any of its cells.
    """
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
        return header, []
    if header is None:
        return cells, []
    countries = partner_mentions(line)
    partner = countries[0][2] if countries else default
    out = []
    for i, cell in enumerate(cells):
        heading = header[i] if i < len(header) else ""
        context = f"{heading}: {cell}"
        shift = len(heading) + 2
        claims, _, _ = sentence_claims(context, 0, partner, None)
        for c in claims:
            if c.kind == "tariff_rate" and c.scope == "reciprocal" and "reciprocal" not in heading.lower():
                continue
            out.append(Claim(c.kind, c.value, c.unit, partner, c.scope, "reporter", line,
                             (offset, offset + len(line))))
        del shift
    return header, out
