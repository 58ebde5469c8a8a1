"""The evidence vocabulary and records: documents, sentences and claims.

A *claim* is one quantitative statement about an investment-for-tariff deal
found in one sentence of one document::

    {kind, value, unit, partner, scope, attributed_to, quote, char_span}

``kind`` and ``unit`` come from the fixed vocabulary below (issue 9).
``value`` is in ``unit``: fractions for rates and shares (15 % -> 0.15),
USD bn for money. Won amounts keep their won unit (``krw_bn``/``krw_tn``)
and are converted to USD only with a dated, cited rate
(:func:`tradepact.evidence.check.krw_claim_in_usd_bn`). ``char_span`` is the
half-open ``[start, stop)`` range of ``quote`` in the document's stored text,
so ``text[start:stop] == quote`` always holds.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass, field
from typing import Any

#: kind -> unit of its value (the won units are the exception noted above).
KIND_UNITS: dict[str, str] = {
    "pledge_total": "usd_bn",
    "cash_total": "usd_bn",
    "cash_annual": "usd_bn_per_year",
    "non_cash_total": "usd_bn",
    "shipbuilding": "usd_bn",
    "tariff_rate": "fraction",
    "profit_share_host": "fraction",
    "duration": "years",
    "fx_reserves": "usd_bn",
    "exchange_rate": "krw_per_usd",
    "fx_swap": "usd_bn",
}
KINDS = tuple(KIND_UNITS)
#: Units a claim may carry besides those of KIND_UNITS.
EXTRA_UNITS = ("jpy_per_usd", "krw_bn", "krw_tn", "krw_bn_per_year", "krw_tn_per_year")

TARIFF_SCOPES = ("reciprocal", "autos", "auto_parts", "steel", "aluminum", "semiconductors",
                 "pharmaceuticals", "lumber", "general")
PROFIT_SCOPES = ("before_recoup", "after_recoup", "unspecified")
#: Suffix of a tariff scope when the text gives a ceiling ("up to 15 %").
UP_TO = ":up_to"
ATTRIBUTIONS = ("USA", "KOR", "JPN", "EU", "TWN", "CHE", "reporter")


@dataclass(frozen=True)
class Claim:
    """One quantitative claim, located in its document's stored text."""

    kind: str
    value: float
    unit: str
    partner: str | None
    scope: str | None
    attributed_to: str | None
    quote: str
    char_span: tuple[int, int]

    @property
    def base_scope(self) -> str | None:
        """The scope without the ``:up_to`` suffix."""
        return self.scope.split(":")[0] if self.scope else None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["char_span"] = list(self.char_span)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Claim":
        return cls(data["kind"], float(data["value"]), data["unit"], data.get("partner"),
                   data.get("scope"), data.get("attributed_to"), data["quote"],
                   tuple(data["char_span"]))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Extracted:
    """A document read from raw bytes: stored text, metadata, article ranges.

    ``text`` is what is stored and what ``char_span`` indexes: the decoded
    page for plain text (furniture included, so a sentence can be shown in
    place), the extractor's main text for HTML and e-mail. ``article`` lists
    the ``[start, stop)`` ranges of ``text`` judged to be article text (not
    menus, captions, lists of other headlines, share buttons).
    """

    file: str
    text: str
    article: tuple[tuple[int, int], ...]
    title: str | None = None
    publisher: str | None = None
    published: _dt.date | None = None
    language: str | None = None
    url: str | None = None
    media_type: str = "text/plain"
    encoding: str = "utf-8"

    @property
    def article_chars(self) -> int:
        return sum(b - a for a, b in self.article)


@dataclass(frozen=True)
class DocumentRecord:
    """A stored document, as listed by ``evidence list``."""

    id: int
    file: str
    title: str | None
    publisher: str | None
    published: _dt.date | None
    sha256: str
    claims: int
    language: str | None = None
    url: str | None = None
    ingested: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "file": self.file, "title": self.title,
                "publisher": self.publisher,
                "published": self.published.isoformat() if self.published else None,
                "sha256": self.sha256, "claims": self.claims}
