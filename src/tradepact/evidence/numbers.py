"""Figures in a sentence, normalised: money, won, rates, ratios, years, FX.

Each finder returns :class:`Mention` records with the span of the figure in
the sentence and its value already in the claim unit:

* USD money ("$350 billion", "US$350 bn", "350 billion dollars",
  "USD 0.35 trillion", "$15–20 billion") -> USD bn; a range gives one
  mention per end; amounts under USD 1 bn are dropped (no deal term is that
  small and captions and changes often are);
* won money ("276 trillion won") -> ``krw_tn`` / ``krw_bn`` (never converted here);
* percentages ("15 %", "15 percent", "zero-tariff") -> fractions;
* ratios of a split ("50:50", "90/10", "50-50") -> the first share as a fraction;
* periods ("over eight years", "10-year") -> years;
* won-dollar and yen-dollar levels ("1,480 won", "the 1,500-per-dollar level").

quantulum3 was tried as the quantity parser and left out: it does not read
"$15–20 billion" as a range, and it takes a won-dollar level for a count of
won. The grammar here is small, and every pattern is tested.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = r"\d+-point-\d+|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = {"trillion": 1000.0, "tn": 1000.0, "tr": 1000.0, "billion": 1.0, "bn": 1.0, "b": 1.0,
          "million": 0.001, "mn": 0.001, "m": 0.001}
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
          "twenty": 20}
_DASH = r"(?:-|–|—|to)"
_USD = r"(?:US\s?\$|U\.S\.\s?\$|USD\s?|\$)"

_MONEY = re.compile(
    rf"{_USD}\s?(?P<a>{_NUM})(?:\s?{_DASH}\s?{_USD}?\s?(?P<b>{_NUM}))?\s?"
    r"(?P<s>trillion|billion|million|tn|bn|b|mn|m)\b", re.I)
_MONEY_WORDS = re.compile(
    rf"\b(?P<a>{_NUM})(?:\s?{_DASH}\s?(?P<b>{_NUM}))?\s?(?P<s>trillion|billion|million)\s+"
    r"(?:(?:US|U\.S\.|American)\s+)?(?:dollars|USD)\b", re.I)
_WON = re.compile(rf"(?:₩\s?(?P<p>{_NUM})\s?(?P<ps>trillion|billion)\b|"
                  rf"\b(?P<a>{_NUM})\s?(?P<s>trillion|billion)\s?(?:(?:Korean\s+)?won|KRW)\b)", re.I)
_PERCENT = re.compile(
    rf"(?P<a>{_NUM})(?:\s?(?:%|percent|per cent|pct)?\s?{_DASH}\s?(?P<b>{_NUM}))?\s?"
    r"(?:%|percent\b|per cent\b|pct\b)", re.I)
_ZERO = re.compile(r"\bzero-tariff\b|\bzero tariff (?=rate|benefit|treatment|status|access)", re.I)
_RATIO = re.compile(r"(?<![\d.,$])(?P<a>\d{1,2})\s?(?::|/|-|–|to)\s?(?P<b>\d{1,2})(?!\d|[.,]\d|\s?%)")
_YEARS = re.compile(
    r"\b(?:over|across|spread over|during|for)\s+(?:a period of\s+|the next\s+|a\s+)?"
    r"(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
    r"[\s-]+years?\b|\b(?P<m>\d{1,2}|eight|ten)-year\s+(?:period|plan|schedule|instal|payment)",
    re.I)
_KRW_LEVEL = re.compile(
    r"(?P<a>1,\d{3}(?:\.\d+)?|1\d{3}(?:\.\d+)?|9\d\d(?:\.\d+)?)"
    r"(?P<u>\s?-?\s?won\b(?!\s+(?:trillion|billion))|-?\s?per[- ]dollar\b|\s(?:mark|level|line|range)\b)",
    re.I)
_JPY_LEVEL = re.compile(r"(?P<a>1\d\d(?:\.\d+)?)\s?yen\s+(?:per|to the|against the)\s+(?:US\s+)?dollar",
                        re.I)


@dataclass(frozen=True)
class Mention:
    """A figure found in a sentence (``start``/``stop`` index the sentence)."""

    type: str  # usd | krw | percent | ratio | years | krw_per_usd | jpy_per_usd
    value: float
    start: int
    stop: int
    unit: str = ""


def _num(s: str) -> float:
    """"1,480.5" -> 1480.5; broadcast style "375-point-17" -> 375.17."""
    return float(s.replace(",", "").replace("-point-", "."))


def money(s: str) -> list[Mention]:
    """USD amounts in USD bn, one mention per end of a range (under USD 1 bn:
    type ``usd_small``, kept only to bound the other figures' segments)."""
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for rx in (_MONEY, _MONEY_WORDS):
        for m in rx.finditer(s):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            scale = _SCALE[m.group("s").lower()]
            if m.group("s") in ("m", "b", "M", "B") and rx is _MONEY:
                nxt = s[m.end():m.end() + 1]
                if nxt.isalpha():
                    continue
            taken.append((m.start(), m.end()))
            for key in ("a", "b"):
                if m.group(key):
                    value = _num(m.group(key)) * scale
                    kind = "usd" if value >= 1.0 else "usd_small"  # a delimiter, never a claim
                    out.append(Mention(kind, round(value, 6), m.start(), m.end(), "usd_bn"))
    return sorted(out, key=lambda x: x.start)


def won(s: str) -> list[Mention]:
    """Won amounts, kept in won: ``krw_tn`` or ``krw_bn``."""
    out = []
    for m in _WON.finditer(s):
        amount, scale = (m.group("p"), m.group("ps")) if m.group("p") else (m.group("a"), m.group("s"))
        unit = "krw_tn" if scale.lower() == "trillion" else "krw_bn"
        out.append(Mention("krw", _num(amount), m.start(), m.end(), unit))
    return out


def percents(s: str) -> list[Mention]:
    """Percentages as fractions ("zero-tariff" is 0)."""
    out = []
    for m in _PERCENT.finditer(s):
        for key in ("a", "b"):
            if m.group(key):
                out.append(Mention("percent", round(_num(m.group(key)) / 100.0, 6), m.start(), m.end(),
                                   "fraction"))
    for m in _ZERO.finditer(s):
        out.append(Mention("percent", 0.0, m.start(), m.end(), "fraction"))
    return sorted(out, key=lambda x: x.start)


def ratios(s: str) -> list[Mention]:
    """Two-way splits that add up to 100 ("50:50", "90/10"), as the first share."""
    out = []
    for m in _RATIO.finditer(s):
        a, b = int(m.group("a")), int(m.group("b"))
        if a + b == 100 and a > 0 and b > 0:
            out.append(Mention("ratio", a / 100.0, m.start(), m.end(), "fraction"))
    return out


def years(s: str) -> list[Mention]:
    """Instalment periods in years ("over eight years", "10-year plan")."""
    out = []
    for m in _YEARS.finditer(s):
        n = m.group("n") or m.group("m")
        value = float(_WORDS[n.lower()]) if n.lower() in _WORDS else float(n)
        out.append(Mention("years", value, m.start(), m.end(), "years"))
    return out


def fx_levels(s: str) -> list[Mention]:
    """Won-dollar (900-1,999) and yen-dollar (100-199) levels."""
    out = []
    for m in _KRW_LEVEL.finditer(s):
        out.append(Mention("krw_per_usd", _num(m.group("a")), m.start(), m.end(), "krw_per_usd"))
    for m in _JPY_LEVEL.finditer(s):
        out.append(Mention("jpy_per_usd", _num(m.group("a")), m.start(), m.end(), "jpy_per_usd"))
    return out
