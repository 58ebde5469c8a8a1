"""Hand-written hard cases (fixtures/hard_cases.txt, units.txt, page.html)."""

from __future__ import annotations

from tradepact.evidence import numbers as N
from tradepact.evidence.claims import extract_claims
from tradepact.evidence.ingest import read_document

from .conftest import FIXTURES, keyset


def _claims(name):
    doc = read_document(FIXTURES / name)
    return doc, extract_claims(doc.text, doc.article)


def test_hard_cases_page_by_hand():
    doc, claims = _claims("hard_cases.txt")
    assert keyset(claims) == {
        # "pledged to invest 500 trillion won": kept in won, not converted
        ("pledge_total", 500.0, "krw_tn", "KOR", None),
        # "$350 billion (about 509 trillion won)": the bracketed conversion is not a claim
        ("pledge_total", 350.0, "usd_bn", "KOR", None),
        # "$15–20 billion annually": one claim per end of the range
        ("cash_annual", 15.0, "usd_bn_per_year", "KOR", None),
        ("cash_annual", 20.0, "usd_bn_per_year", "KOR", None),
        # "from 25% to 15%": two rates with the same scope
        ("tariff_rate", 0.25, "fraction", "KOR", "autos"),
        ("tariff_rate", 0.15, "fraction", "KOR", "autos"),
        # "capped at up to 15 percent": a ceiling
        ("tariff_rate", 0.15, "fraction", "KOR", "semiconductors:up_to"),
        # "50:50 until Korea recoups ..., after which 90 percent"
        ("profit_share_host", 0.5, "fraction", "KOR", "before_recoup"),
        ("profit_share_host", 0.9, "fraction", "KOR", "after_recoup"),
        # "closed at 1,472.5 per dollar" (the "down 3.1 won" change is not a level)
        ("exchange_rate", 1472.5, "krw_per_usd", "KOR", None),
    }
    # bilateral trade ($190 bn) and LNG purchases ($100 bn) are not the deal's
    assert not any(c.value in (190.0, 100.0) for c in claims)
    # the caption ([YONHAP]) and the MOST POPULAR list ($550 bn, 20 %, $37 bn) give nothing
    popular = doc.text.index("MOST POPULAR")
    assert all(c.char_span[1] <= popular for c in claims)
    assert not any(c.value in (550.0, 37.0, 0.2) for c in claims)
    won = next(c for c in claims if c.unit == "krw_tn")
    assert won.attributed_to == "KOR"  # "a government official said" on a Korean page


def test_units_normalise_to_usd_bn():
    _, claims = _claims("units.txt")
    assert keyset(claims) == {
        ("pledge_total", 350.0, "usd_bn", "KOR", None),   # USD 0.35 trillion; 350 billion dollars
        ("cash_total", 200.0, "usd_bn", "KOR", None),
        ("cash_annual", 20.0, "usd_bn_per_year", "KOR", None),
        ("duration", 10.0, "years", "KOR", None),
    }


def test_money_grammar():
    assert [m.value for m in N.money("a $350 billion pledge")] == [350.0]
    assert [m.value for m in N.money("USD 0.35 trillion")] == [350.0]
    assert [m.value for m in N.money("350 billion dollars")] == [350.0]
    assert [m.value for m in N.money("US$200 bn")] == [200.0]
    assert [m.value for m in N.money("China ($3.3464 trillion)")] == [3346.4]
    assert [m.value for m in N.money("$15–20 billion")] == [15.0, 20.0]
    assert [m.value for m in N.money("| Japan | $550bn | 15% |")] == [550.0]
    assert [m.type for m in N.money("$430 million")] == ["usd_small"]
    assert [(m.value, m.unit) for m in N.won("276 trillion won")] == [(276.0, "krw_tn")]
    assert [(m.value, m.unit) for m in N.won("3 billion won")] == [(3.0, "krw_bn")]


def test_rate_grammar():
    assert [m.value for m in N.percents("from 25% to 15%")] == [0.25, 0.15]
    assert [m.value for m in N.percents("27.5 percent")] == [0.275]
    assert [m.value for m in N.percents("the zero-tariff benefit")] == [0.0]
    assert [m.value for m in N.ratios("split 90:10, then 50-50")] == [0.9, 0.5]
    assert N.ratios("on 2025-10") == []
    assert [m.value for m in N.years("over eight years")] == [8.0]
    assert [m.value for m in N.fx_levels("past the 1,480 mark")] == [1480.0]
    assert [m.value for m in N.fx_levels("near the 1,500-per-dollar level")] == [1500.0]


def test_html_page_with_trafilatura():
    doc, claims = _claims("page.html")
    assert doc.title == "Korea and US sign investment MOU"
    assert doc.publisher == "Example Herald"
    assert str(doc.published) == "2025-11-14"
    assert keyset(claims) == {
        ("pledge_total", 350.0, "usd_bn", "KOR", None),
        ("cash_total", 200.0, "usd_bn", "KOR", None),
        ("cash_annual", 20.0, "usd_bn_per_year", "KOR", None),
        ("shipbuilding", 150.0, "usd_bn", "KOR", None),
        ("profit_share_host", 0.5, "fraction", "KOR", "before_recoup"),
        ("profit_share_host", 0.9, "fraction", "KOR", "after_recoup"),
    }
    for c in claims:
        assert doc.text[c.char_span[0]:c.char_span[1]] == c.quote


def test_email_newsletter(tmp_path):
    from email.message import EmailMessage
    msg = EmailMessage()
    msg["Subject"] = "Trade brief"
    msg["From"] = "Brief <brief@example.org>"
    msg["Date"] = "Mon, 03 Nov 2025 08:00:00 +0000"
    msg.set_content("Korea will invest $200 billion in cash, capped at $20 billion a year, "
                    "the industry ministry said on Monday.\n")
    path = tmp_path / "brief.eml"
    path.write_bytes(bytes(msg))
    doc, claims = _claims(path)
    assert doc.title == "Trade brief" and str(doc.published) == "2025-11-03"
    assert keyset(claims) == {("cash_total", 200.0, "usd_bn", "KOR", None),
                              ("cash_annual", 20.0, "usd_bn_per_year", "KOR", None)}


def test_reserves_changes_components_and_a_combined_figure():
    doc, claims = _claims("breakdown_fx.txt")
    assert str(doc.published) == "2025-11-06"  # "Posted : November 6, 2025" in the byline
    assert keyset(claims) == {
        ("fx_reserves", 431.2, "usd_bn", "KOR", None),   # not the "rise of $3.4 billion"
        ("fx_reserves", 399.8, "usd_bn", "KOR", None),   # "399-point-8 billion dollars"
        # "a combined 900 billion ... (600 ... from Japan and 300 ... from South Korea) in cash":
        # the parts are each partner's cash; the combined sum is no one's
        ("cash_total", 600.0, "usd_bn", "JPN", None),
        ("cash_total", 300.0, "usd_bn", "KOR", None),
    }
    # securities ($380.5 bn) and SDRs ($15.6 bn) are components of the reserves, not claims
    assert not any(c.value in (380.5, 15.6, 1.1, 3.4, 900.0) for c in claims)
    assert next(c for c in claims if c.value == 431.2).attributed_to == "KOR"


def test_mbox_gives_one_document_per_message(tmp_path):
    from tradepact.evidence.pipeline import extract_paths
    box = ("From brief@example.org Mon Nov  3 08:00:00 2025\n"
           "From: Brief <brief@example.org>\nSubject: Monday brief\n"
           "Date: Mon, 03 Nov 2025 08:00:00 +0000\n\n"
           "Korea agreed to invest $350 billion in the United States, officials said.\n\n"
           "From brief@example.org Tue Nov  4 08:00:00 2025\n"
           "From: Brief <brief@example.org>\nSubject: Tuesday brief\n"
           "Date: Tue, 04 Nov 2025 08:00:00 +0000\n\n"
           "The U.S. tariff on Korean cars was cut to 15 percent from 25 percent.\n")
    path = tmp_path / "briefs.mbox"
    path.write_text(box)
    docs, failed = extract_paths([str(path)])
    assert not failed
    assert [d["title"] for d in docs] == ["Monday brief", "Tuesday brief"]
    assert [d["published"] for d in docs] == ["2025-11-03", "2025-11-04"]
    assert [{(c["kind"], c["value"]) for c in d["claims"]} for d in docs] == [
        {("pledge_total", 350.0)}, {("tariff_rate", 0.15), ("tariff_rate", 0.25)}]


def test_purchases_projects_and_wider_tariffs():
    _, claims = _claims("purchases.txt")
    assert keyset(claims) == {
        ("pledge_total", 550.0, "usd_bn", "JPN", None),   # "invest $550 billion in US projects"
        # "a maximum 15% tariff on most Japanese products, including automobiles and parts"
        ("tariff_rate", 0.15, "fraction", "JPN", "general:up_to"),
        ("tariff_rate", 0.15, "fraction", "JPN", "autos:up_to"),
        ("tariff_rate", 0.15, "fraction", "JPN", "auto_parts:up_to"),
        # "an agreement, including a 15 percent tariff on cars": the tariff is on cars only
        ("tariff_rate", 0.15, "fraction", "KOR", "autos"),
        ("tariff_rate", 0.25, "fraction", "KOR", "autos"),
    }  # the "$8 billion ... annually" of farm purchases is not the deal's cash


def test_parts_of_the_package_and_splits_without_a_profit_word():
    _, claims = _claims("package_parts.txt")
    assert {(c.kind, c.value, c.unit, c.partner, c.scope, c.attributed_to) for c in claims} == {
        ("pledge_total", 350.0, "usd_bn", "KOR", None, "reporter"),   # "the $350 billion package"
        # "invest $200 billion over eight years ... out of the $350 billion package": a part
        ("cash_total", 200.0, "usd_bn", "KOR", None, "reporter"),
        ("duration", 8.0, "years", "KOR", None, "reporter"),
        ("cash_total", 350.0, "usd_bn", "KOR", None, "USA"),          # "an upfront payment of $350 billion"
        ("profit_share_host", 0.5, "fraction", "KOR", "before_recoup", "reporter"),
        ("cash_annual", 20.0, "usd_bn_per_year", "KOR", None, "reporter"),  # "the annual $20 billion cap"
    }  # "3 trillion won in capital" (the corporation's capital) is no claim
