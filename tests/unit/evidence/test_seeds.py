"""The three seed reports, every claim in them labelled by hand.

The seeds are read from ../shared/seeds (never copied into the repository).
Labels were made by reading each page: a figure is a claim when the article
text (not a caption, menu or list of other headlines) states it as a term
or a position in the US-Korea talks.
"""

from __future__ import annotations

import datetime as dt

from tradepact.evidence.claims import extract_claims
from tradepact.evidence.ingest import read_document

from .conftest import SEEDS, keyset, need


def _claims(name):
    doc = read_document(need(SEEDS / name))
    return doc, extract_claims(doc.text, doc.article)


def test_seed_004_minister_gives_the_us_proposal_terms():
    doc, claims = _claims("004_ffba192e7f3e0c2c.txt")
    by_kind = {(c.kind, c.value): c for c in claims}
    # Hand labels: "$350 billion investment by Korea" (the reporter), then the
    # industry minister "confirmed ... $200 billion in cash over eight years -
    # $25 billion annually - with the remaining $150 billion ... credit
    # guarantees and other instruments".
    expected = {
        ("pledge_total", 350.0, "usd_bn", "KOR", None),
        ("cash_total", 200.0, "usd_bn", "KOR", None),
        ("cash_annual", 25.0, "usd_bn_per_year", "KOR", None),
        ("duration", 8.0, "years", "KOR", None),
        ("non_cash_total", 150.0, "usd_bn", "KOR", None),
    }
    assert keyset(claims) == expected
    for kind, value in [("cash_total", 200.0), ("cash_annual", 25.0), ("duration", 8.0),
                        ("non_cash_total", 150.0)]:
        assert by_kind[(kind, value)].attributed_to == "KOR"
        assert "Kim Jung-kwan" in by_kind[(kind, value)].quote
    assert doc.published == dt.date(2025, 10, 25)
    assert doc.publisher == "Korea JoongAng Daily"
    assert doc.title == "Korea, U.S. still apart on trade deal specifics as bilateral summit nears"
    assert doc.language == "en"


def test_seed_004_no_claim_from_the_photo_caption():
    doc, claims = _claims("004_ffba192e7f3e0c2c.txt")
    caption = doc.text.index("[KANG TAE-HWA]")
    assert all(not (c.char_span[0] <= caption < c.char_span[1]) for c in claims)


def test_seed_003_popular_articles_and_caption_give_nothing():
    doc, claims = _claims("003_3554c34b569d244e.txt")
    # Hand labels: "$350 billion investment" (pledge) and "U.S. tariffs on South
    # Korean cars remain at 25% ..., whereas duties on other imports have been
    # cut to 15%" (autos 25 %, general 15 %). The "POPULAR ARTICLE" and "JN
    # ACCESS RANKING" lists (a yen trade deficit, a Nikkei level) give nothing.
    assert keyset(claims) == {
        ("pledge_total", 350.0, "usd_bn", "KOR", None),
        ("tariff_rate", 0.25, "fraction", "KOR", "autos"),
        ("tariff_rate", 0.15, "fraction", "KOR", "general"),
    }
    popular = doc.text.index("POPULAR ARTICLE")
    assert all(c.char_span[1] <= popular for c in claims)
    assert doc.published == dt.date(2025, 10, 22)


def test_seed_000_framework_terms():
    doc, claims = _claims("000_b5fc49d3c2b965c6.txt")
    # Hand labels: "$350 billion investment pledge"; "lower its 'reciprocal'
    # tariff and sector-specific duty on South Korean autos to 15 percent from
    # 25 percent" -> 15 % and 25 %, each for reciprocal and autos.
    assert keyset(claims) == {
        ("pledge_total", 350.0, "usd_bn", "KOR", None),
        ("tariff_rate", 0.15, "fraction", "KOR", "reciprocal"),
        ("tariff_rate", 0.25, "fraction", "KOR", "reciprocal"),
        ("tariff_rate", 0.15, "fraction", "KOR", "autos"),
        ("tariff_rate", 0.25, "fraction", "KOR", "autos"),
    }
    assert doc.published == dt.date(2025, 10, 23)


def test_spans_index_the_stored_text():
    for name in ("000_b5fc49d3c2b965c6.txt", "003_3554c34b569d244e.txt", "004_ffba192e7f3e0c2c.txt"):
        doc, claims = _claims(name)
        assert claims
        for c in claims:
            a, b = c.char_span
            assert doc.text[a:b] == c.quote
