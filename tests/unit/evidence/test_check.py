"""Parameters against claims: support, contradiction, proposals, flags, timeline.

The store is built from the hand-written fixtures; every expected count is
worked out by hand from those pages and the shipped parameter values (cited
in their YAML files).
"""

from __future__ import annotations

import datetime as dt

import pytest

from tradepact.core.parameters import EvidenceLink, default_parameters
from tradepact.evidence.check import check_all, for_parameter, krw_claim_in_usd_bn
from tradepact.evidence.models import KINDS, Claim
from tradepact.evidence.pipeline import ingest_paths
from tradepact.evidence.store import EvidenceStore
from tradepact.evidence.timeline import step_chart, timeline

from .conftest import FIXTURES


@pytest.fixture()
def store(tmp_path):
    extra = tmp_path / "kim_guarantees.txt"
    extra.write_text("Korea offers guarantees\nPublished: Oct. 26, 2025, 10:00\n"
                     "Industry Minister Kim Jung-kwan said Korea would arrange $100 billion "
                     "through credit guarantees.\n")
    st = EvidenceStore(tmp_path / "s.db")
    ingest_paths([str(FIXTURES / n) for n in ("proposal_talks.txt", "hard_cases.txt", "page.html")]
                 + [str(extra)], st)
    yield st
    st.close()


def test_annual_cap_supported_and_proposals_matched(store):
    ev = for_parameter("deals.us_kr_2025.cash.annual_cap_usd_bn", store)
    # value 20 from 2025-11-14. "capped at $20 billion per year" (page.html) and the
    # upper end of "$15–20 billion annually" (hard_cases) support it; the US's
    # "$25 billion a year" and both "15" figures match the proposals.
    assert ev.value == 20 and sorted(f.compared_value for f in ev.supports) == [20, 20]
    assert ev.contradicts == []
    assert sorted((f.compared_value, f.proposal_path) for f in ev.proposals) == [
        (15, "proposals.us_kr_2025.kr_october.cash.annual_cap_usd_bn"),
        (15, "proposals.us_kr_2025.kr_october.cash.annual_cap_usd_bn"),
        (25, "proposals.us_kr_2025.us_october.cash.annual_amount_usd_bn"),
    ]
    herald = [f for f in ev.supports if f.claim.document.publisher == "Example Herald"]
    assert len(herald) == 1
    assert herald[0].sentence().endswith("(Example Herald, 2025-11-14: Korea and US sign investment MOU)")
    assert "capped at $20 billion per year" in herald[0].sentence()


def test_won_pledge_converted_at_the_cited_rate(store):
    ev = for_parameter("deals.us_kr_2025.pledge_usd_bn", store)
    converted = [f for f in ev.supports if f.conversion is not None]
    # 500 trillion won on 2025-11-03 at 1,439.6 KRW/USD (in force from 2025-10-28)
    # = 500e12 / 1439.6 / 1e9 = 347.32 bn, within the declared 1 % of 350.
    assert len(converted) == 1
    assert converted[0].compared_value == pytest.approx(500e12 / 1439.6 / 1e9)
    assert converted[0].conversion.value == 1439.6
    assert converted[0].conversion.references
    assert len(ev.supports) == 3  # + "$350 billion" in hard_cases.txt and page.html


def test_assumption_contradicted_by_its_proposer_is_flagged(store):
    ev = for_parameter("proposals.us_kr_2025.kr_october.other.amount_usd_bn", store)
    # assumption 150; Kim (KOR, the proposer) says $100 bn of guarantees on 2025-10-26
    assert ev.status == "assumption"
    assert [f.compared_value for f in ev.contradicts] == [100]
    assert ev.flagged
    us = for_parameter("proposals.us_kr_2025.us_october.other.amount_usd_bn", store)
    assert us.contradicts == []  # a Korean figure does not contradict the US proposal
    assert [f.compared_value for f in us.supports] == [150]


def test_profit_split_complement(store):
    ev = for_parameter("deals.us_kr_2025.profit_split.investor_share_after_recoup", store)
    # Korea keeps 0.1 after recoup; reports give the host's 90 % -> 1 - 0.9
    assert [round(f.compared_value, 9) for f in ev.supports] == [0.1, 0.1]


def test_check_all_dates_and_fx_reserves_window(store):
    results = {r.path: r for r in check_all(store, on="2025-11-20")}
    # reserves: 428.82 published 2025-11-05 (window 0): the 2025-10-24 page is older
    assert results["kr.macro.fx_reserves_usd_bn"].supports == []
    early = {r.path: r for r in check_all(store, on="2025-10-25")}
    assert "deals.us_kr_2025.pledge_usd_bn" not in early  # the deal starts 2025-11-14


def test_krw_conversion_needs_a_dated_rate():
    claim = Claim("pledge_total", 276.0, "krw_tn", "KOR", None, "KOR", "q", (0, 1))
    value, use = krw_claim_in_usd_bn(claim, dt.date(2025, 12, 20))
    assert value == pytest.approx(276e12 / 1460.44 / 1e9)  # rate in force from 2025-12-14
    assert krw_claim_in_usd_bn(claim, dt.date(2024, 1, 1)) is None  # before the first rate
    assert krw_claim_in_usd_bn(claim, None) is None


def test_timeline_steps(store, tmp_path):
    tl = timeline(store, "cash_annual", "KOR")
    assert [(r.document.published.isoformat(), r.claim.attributed_to, r.claim.value)
            for r in tl.rows] == [("2025-10-24", "USA", 25), ("2025-10-24", "KOR", 15),
                                  ("2025-11-03", "KOR", 15), ("2025-11-03", "KOR", 20),
                                  ("2025-11-14", "reporter", 20)]
    assert tl.series == {"USA": [(dt.date(2025, 10, 24), 25)],
                         "KOR": [(dt.date(2025, 10, 24), 15), (dt.date(2025, 11, 3), 20)],
                         "reporter": [(dt.date(2025, 11, 14), 20)]}
    assert tl.final["value"] == 20
    out = step_chart(tl, str(tmp_path / "t.png"))
    assert (tmp_path / "t.png").stat().st_size > 1000 and out.endswith("t.png")


def test_evidence_link_validation():
    assert EvidenceLink(kind="cash_total", partner="KOR").within(201, 200)
    assert not EvidenceLink(kind="cash_total", partner="KOR").within(202, 200)
    assert EvidenceLink(kind="cash_total", partner="KOR", tolerance="2%").within(203.9, 200)
    assert EvidenceLink(kind="cash_total", partner="KOR", tolerance=5).within(205, 200)
    with pytest.raises(ValueError):
        EvidenceLink(kind="cash_total", partner="KOR", tolerance="two")
    with pytest.raises(ValueError):
        EvidenceLink(kind="cash_total", partner="KOR", proposal_of="USA")
    with pytest.raises(ValueError):
        EvidenceLink(kind="cash_yearly", partner="KOR")


def test_vocabulary_in_parameters_matches_the_evidence_models():
    from typing import get_args
    assert set(get_args(EvidenceLink.model_fields["kind"].annotation)) == set(KINDS)
    declared = [p for p in default_parameters().walk() if p.evidence]
    assert {p.path for p in declared} >= {
        "deals.us_kr_2025.pledge_usd_bn", "deals.us_kr_2025.cash.amount_usd_bn",
        "deals.us_kr_2025.cash.annual_cap_usd_bn", "deals.us_kr_2025.shipbuilding.amount_usd_bn",
        "deals.us_kr_2025.profit_split.investor_share_before_recoup",
        "deals.us_kr_2025.profit_split.investor_share_after_recoup",
        "kr.macro.fx_reserves_usd_bn", "kr.macro.exchange_rate_krw_per_usd"}


def test_hold_any_value_such_as_a_tariff_measure(store):
    from tradepact.evidence.check import hold_value
    link = EvidenceLink(kind="tariff_rate", partner="KOR", scope="autos")
    ev = hold_value(0.15, link, store, start=dt.date(2025, 11, 1), label="s232 autos KOR")
    # hard_cases.txt (2025-11-03): "cut the tariff on Korean cars from 25% to 15%"
    assert [f.compared_value for f in ev.supports] == [0.15]
    assert [f.compared_value for f in ev.contradicts] == [0.25]
