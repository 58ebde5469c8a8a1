"""The peer deals (Japan, Taiwan, Switzerland, the EU) shipped as data.

Each peer is a parameter folder under ``policy/deals/<deal>/``, an investor
macro folder under ``policy/<cc>/macro/`` and scenarios under
``scenarios/<deal>/``; no code is specific to a deal. These tests check that
the files load, that every scenario's tranches add up to the pledge the
sources give (worked by hand from the published figures), that each derived
macro value follows from the published figures by the formula its note
states, and that the exchange rates match the Federal Reserve H.10 data in
``../shared`` when it is there. The counterfactual tariff regimes (no_jpn_deal,
no_eu_deal, no_che_deal, no_twn_deal) are checked on rates worked by hand from
the legal texts and on the rule that each changes only its own investor's
rates; every peer scenario is then assessed from YAML alone.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tradepact.core.parameters import POLICY_ROOT, ParameterNode, load_parameters
from tradepact.core.scenario import SCENARIO_ROOT, ParamRef, load_scenario

PEERS = {  # deal folder -> (investor macro folder, ISO code of the investor)
    "jp_us_2025": ("jp", "JPN"),
    "tw_us_2026": ("tw", "TWN"),
    "ch_us_2025": ("ch", "CHE"),
    "eu_us_2025": ("eu", "EUN"),
}
MACRO_FILES = ("fx_reserves_usd_bn", "reserve_income_usd_bn", "current_account_usd_bn", "gdp_usd_bn",
               "usd_supply_capacity_usd_bn")
CURRENCY = {"jp": "jpy", "tw": "twd", "ch": "chf", "eu": "eur"}
H10 = Path(__file__).resolve().parents[4] / "shared" / "data" / "raw" / "fx-fred-h10-monthly" / "monthly.csv"
H10_COUNTRY = {"jp": "Japan", "tw": "Taiwan", "ch": "Switzerland", "eu": "Euro"}

#: Headline pledges as the sources state them (USD bn), the check the tranches must meet.
PUBLISHED_PLEDGE = {
    "jp_us_2025/final": 550,             # MOU of 2025-09-04
    "jp_us_2025/final_45_days": 550,
    "jp_us_2025/jp_reading": 550,
    "jp_us_2025/first_projects": 550,
    "tw_us_2026/final": 250 + 250,       # direct investment + credit guarantees, 2026-01-15
    "ch_us_2025/final": 200,             # Swiss companies by end-2028
    "eu_us_2025/final": 600,             # EU companies by 2028; the 750 of energy purchases excluded
}


@pytest.fixture(scope="module")
def tree() -> ParameterNode:
    return load_parameters(POLICY_ROOT)


def _scenario_files() -> list[Path]:
    return sorted(p for deal in PEERS for p in (SCENARIO_ROOT / deal).glob("*.yaml"))


def _value(tree: ParameterNode, ref: object, on: dt.date) -> float:
    """A scenario number: a literal, or a parameter read on ``on`` times its factors."""
    if not isinstance(ref, ParamRef):
        return float(ref)  # type: ignore[arg-type]
    out = float(tree.parameter(ref.param).at(on))
    for factor in ref.times:
        out *= float(tree.parameter(factor).at(on)) if isinstance(factor, str) else float(factor)
    return out


# ---------------------------------------------------------------- parameter files
@pytest.mark.parametrize("deal", sorted(PEERS))
def test_deal_and_macro_folders_load_with_references(deal: str) -> None:
    macro, _ = PEERS[deal]
    for folder, prefix in ((POLICY_ROOT / "deals" / deal, f"deals.{deal}"),
                           (POLICY_ROOT / macro / "macro", f"{macro}.macro")):
        node = load_parameters(folder, prefix=prefix)
        params = list(node.walk())
        assert params, folder
        for p in params:
            for dv in p.values:
                assert dv.references, f"{p.path}@{dv.start}"
                for r in dv.references:
                    assert r.accessed == dt.date(2026, 12, 1) and r.pinpoint
        for sub in [folder, *(d for d in folder.rglob("*") if d.is_dir())]:
            assert (sub / "index.yaml").is_file(), sub


@pytest.mark.parametrize("macro", sorted(CURRENCY))
def test_each_investor_has_the_macro_inputs_resolve_reads(tree: ParameterNode, macro: str) -> None:
    names = set(tree.get(f"{macro}.macro").children)
    assert set(MACRO_FILES) | {f"exchange_rate_{CURRENCY[macro]}_per_usd"} <= names
    assert tree.parameter(f"{macro}.macro.exchange_rate_{CURRENCY[macro]}_per_usd").unit \
        == f"{CURRENCY[macro]}_per_usd"


# ---------------------------------------------------------------- scenarios
def test_every_peer_deal_has_a_final_scenario() -> None:
    for deal in PEERS:
        assert (SCENARIO_ROOT / deal / "final.yaml").is_file(), deal
    assert {p.stem for p in (SCENARIO_ROOT / "jp_us_2025").glob("*.yaml")} >= {"final", "jp_reading"}


@pytest.mark.parametrize("path", _scenario_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_scenario_validates_and_names_its_investor(path: Path) -> None:
    sc = load_scenario(path)
    deal = path.parent.name
    macro, iso = PEERS[deal]
    assert sc.spec.name == f"{deal}/{path.stem}"
    assert sc.spec.investor == iso and sc.spec.investor_macro == f"{macro}.macro"
    assert sc.spec.tariffs.with_deal == "enacted"
    assert sc.spec.tariffs.without_deal.startswith("no_") and sc.spec.tariffs.without_deal.endswith("_deal")


@pytest.mark.parametrize("path", _scenario_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_tranches_add_up_to_the_published_pledge(tree: ParameterNode, path: Path) -> None:
    sc = load_scenario(path)
    total = sum(_value(tree, t.amount_usd_bn, sc.spec.as_of) for t in sc.spec.tranches)
    assert total == pytest.approx(PUBLISHED_PLEDGE[sc.spec.name], abs=1e-9)


def test_japan_readings_split_the_550_as_worked_by_hand(tree: ParameterNode) -> None:
    on = dt.date(2025, 9, 4)
    sc = load_scenario(SCENARIO_ROOT / "jp_us_2025" / "jp_reading.yaml")
    amounts = {t.name: _value(tree, t.amount_usd_bn, on) for t in sc.spec.tranches}
    # Akazawa: 2 % equity (upper end); the other 98 % loans and guarantees, halves assumed.
    assert amounts == pytest.approx({"cash": 550 * 0.02, "jbic_loans": 550 * 0.98 / 2,
                                     "nexi_guarantees": 550 * 0.98 / 2})
    assert {t.name: t.instrument for t in sc.spec.tranches} == {
        "cash": "cash_equity", "jbic_loans": "loan", "nexi_guarantees": "guarantee"}
    first = load_scenario(SCENARIO_ROOT / "jp_us_2025" / "first_projects.yaml")
    on = first.spec.as_of
    got = {t.name: _value(tree, t.amount_usd_bn, on) for t in first.spec.tranches}
    assert got == {"cash": 36.0, "cash_remaining": 550.0 - 36.0}   # 33.3 + 2.1 + 0.6 = 36
    assert 33.3 + 2.1 + 0.6 == pytest.approx(got["cash"])


def test_funding_windows_of_the_two_japanese_readings(tree: ParameterNode) -> None:
    on = dt.date(2025, 9, 4)
    business = tree.parameter("deals.jp_us_2025.funding_window_business_days").at(on)
    calendar = tree.parameter("deals.jp_us_2025.calendar_reading_business_days").at(on)
    assert business == 45
    # 45 calendar days from a Monday selection hold 6 full weeks (30 business days) and 3 more days.
    start = dt.date(2025, 9, 8)
    days = [start + dt.timedelta(days=i) for i in range(1, 46)]
    assert sum(d.weekday() < 5 for d in days) in (calendar - 1, calendar, calendar + 1)


def test_eu_energy_purchases_stay_out_of_the_pledge(tree: ParameterNode) -> None:
    sc = load_scenario(SCENARIO_ROOT / "eu_us_2025" / "final.yaml")
    on = sc.spec.as_of
    assert tree.parameter("deals.eu_us_2025.energy_purchases_usd_bn").at(on) == 750
    assert all("energy_purchases" not in str(t.amount_usd_bn) for t in sc.spec.tranches)
    assert {t.instrument for t in sc.spec.tranches} == {"company_fdi"}
    start = tree.parameter("deals.eu_us_2025.eu_tariff_cuts.start_date").at(on)
    end = tree.parameter("deals.eu_us_2025.eu_tariff_cuts.end_date").at(on)
    assert (start, end) == ("2026-07-01", "2029-12-31")


# ---------------------------------------------------------------- derived macro values
def _h10() -> "object":
    pd = pytest.importorskip("pandas")
    if not H10.is_file():
        pytest.skip(f"the H.10 exchange rates are not at {H10}")
    return pd.read_csv(H10, parse_dates=["Date"])


def _mean(fx: "object", country: str, start: str, stop: str) -> float:
    s = fx[fx.Country == country].set_index("Date")["Exchange rate"]  # type: ignore[index]
    return round(float(s[start:stop].mean()), 4)


@pytest.mark.parametrize("macro", sorted(CURRENCY))
def test_exchange_rates_match_the_federal_reserve_h10_data(tree: ParameterNode, macro: str) -> None:
    fx = _h10()
    param = tree.parameter(f"{macro}.macro.exchange_rate_{CURRENCY[macro]}_per_usd")
    s = fx[fx.Country == H10_COUNTRY[macro]].set_index("Date")["Exchange rate"]  # type: ignore[index]
    assert len(param.values) >= 12
    for dv in param.values:
        # keyed on the first business day of the month after the averaged month
        assert dv.start.weekday() < 5 and dv.start.day <= 3
        month = (dv.start.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        assert dv.value == pytest.approx(float(s[str(month)]), abs=5e-5), dv.start


def test_japan_yen_figures_converted_as_the_notes_say(tree: ParameterNode) -> None:
    fx = _h10()
    ca, gdp = tree.parameter("jp.macro.current_account_usd_bn"), tree.parameter("jp.macro.gdp_usd_bn")
    y24, y25 = _mean(fx, "Japan", "2024-01", "2024-12"), _mean(fx, "Japan", "2025-01", "2025-12")
    assert ca.at("2025-02-10") == pytest.approx(29261.5 / y24, abs=0.01)      # MOF, calendar 2024
    assert ca.at("2026-02-09") == pytest.approx(31879.9 / y25, abs=0.01)      # MOF, calendar 2025
    assert gdp.at("2025-02-17") == pytest.approx(609_000 / y24, abs=0.1)     # Cabinet Office, 2024
    fy24 = _mean(fx, "Japan", "2024-04", "2025-03")
    assert tree.parameter("jp.macro.reserve_income_usd_bn").at("2025-07-31") \
        == pytest.approx(5360.3 / fy24, abs=0.01)                            # FX Fund Special Account, FY2024
    assert tree.parameter("jp.macro.fx_reserves_usd_bn").at("2025-09-04") == 1313.8


def test_swiss_and_euro_figures_converted_as_the_notes_say(tree: ParameterNode) -> None:
    fx = _h10()
    h1 = _mean(fx, "Switzerland", "2025-01", "2025-06")
    assert tree.parameter("ch.macro.reserve_income_usd_bn").at("2025-11-14") \
        == pytest.approx(2 * (6.2 + 1.6) / h1, abs=0.01)                       # SNB H1 2025 interest + dividends
    assert tree.parameter("ch.macro.current_account_usd_bn").at("2025-11-14") \
        == pytest.approx(42 / _mean(fx, "Switzerland", "2024-01", "2024-12"), abs=0.01)
    assert tree.parameter("ch.macro.fx_reserves_usd_bn").at("2025-11-14") \
        == pytest.approx(725 / _mean(fx, "Switzerland", "2025-10", "2025-10"), abs=0.05)
    nov = _mean(fx, "Euro", "2025-11", "2025-11")
    assert tree.parameter("eu.macro.fx_reserves_usd_bn").at("2026-06-25") \
        == pytest.approx(1754.628 / nov, abs=0.05)                             # Eurosystem, end-Nov 2025
    assert tree.parameter("eu.macro.reserve_income_usd_bn").at("2026-06-25") \
        == pytest.approx(round(281.487 / nov, 2) * 0.03459, abs=0.01)


def test_taiwan_figures_follow_from_the_central_bank_releases(tree: ParameterNode) -> None:
    on = dt.date(2026, 1, 15)
    assert tree.parameter("tw.macro.fx_reserves_usd_bn").at(on) == 602.55
    assert tree.parameter("tw.macro.reserve_income_usd_bn").at(on) == pytest.approx(602.55 * 0.03459, abs=0.01)
    # four quarters to 2025 Q3: 34.40 + 30.23 + 36.23 + 45.84
    assert tree.parameter("tw.macro.current_account_usd_bn").at(on) == pytest.approx(146.70)


# ---------------------------------------------------------------- vehicle and macro from YAML
def _resolve_without_tariffs(name: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Resolve a shipped scenario with the tariff step stubbed out, so the pledge
    and the investor's macro inputs are checked on their own."""
    import tradepact.resolve.scenario as resolve_mod
    from tradepact.core.scenario import shipped_scenario
    if not hasattr(resolve_mod, "relief_inputs"):
        pytest.skip("resolve has no separate tariff step to stub out")

    class _NoRelief:
        def provenance(self) -> tuple:
            return ()
    monkeypatch.setattr(resolve_mod, "relief_inputs", lambda scenario, reader, **kw: (_NoRelief(), ()))
    return resolve_mod.resolve(shipped_scenario(name))


def test_japan_final_calls_the_550_over_the_selection_window(monkeypatch: pytest.MonkeyPatch) -> None:
    from tradepact.vehicle.cashflows import disburse
    r = _resolve_without_tariffs("jp_us_2025/final", monkeypatch)
    (cash,) = r.vehicle.tranches
    assert (cash.instrument, cash.funding) == ("cash_equity", "reserves")
    flows = disburse(cash.schedule, cash.amount_usd_bn, r.vehicle.years, 1)[0]
    # Window from 1 January 2026 to 19 January 2029 plus 45 business days (63 calendar days at 7 per 5),
    # the last day included: 2029-03-23, so the window ends (exclusive) on 2029-03-24.
    days = (dt.date(2029, 3, 24) - dt.date(2026, 1, 1)).days
    assert flows[0] == pytest.approx(550 * 365 / days)
    assert flows[3] == pytest.approx(550 * (dt.date(2029, 3, 24) - dt.date(2029, 1, 1)).days / days)
    assert flows.sum() == pytest.approx(550)
    assert r.position.currency == "JPY"
    assert float(r.position.usd_supply_capacity_usd_bn.ravel()[0]) == pytest.approx(35.17)


@pytest.mark.parametrize("name", sorted(PUBLISHED_PLEDGE))
def test_peer_vehicle_and_macro_resolve_from_yaml(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from tradepact.vehicle.cashflows import disburse
    r = _resolve_without_tariffs(name, monkeypatch)
    total = sum(disburse(t.schedule, t.amount_usd_bn, r.vehicle.years, 1)[0].sum() for t in r.vehicle.tranches)
    assert total == pytest.approx(PUBLISHED_PLEDGE[name])
    macro = PEERS[name.split("/")[0]][0]
    assert r.position.currency == CURRENCY[macro].upper()


# ---------------------------------------------------------------- counterfactual tariff regimes
#: Each deal's no-deal regime and the partner codes of its investor in the shipped trade table.
NO_DEAL = {"no_jpn_deal": {"JPN"}, "no_eu_deal": {"EUN", "SVK"}, "no_che_deal": {"CHE"},
           "no_twn_deal": {"TWN"}, "no_kor_deal": {"KOR"}}

#: (partner, HTS10, date, with the deal, without it), each worked from the legal text.
#: 8703.23.01.40 passenger car, column 1 2.5 %; 8481.80.90.05 valves, column 1 2 %;
#: 8708.29.51.60 car body part (s232 parts list), column 1 2.5 %.
HAND_CASES = [
    # Japan. EO 14345: cars 15 % all-in from 2025-09-16 (s232 slot 15 - 2.5 = 12.5); without it
    # Proclamation 10908 adds 25 % to column 1: 2.5 + 25 = 27.5 % (no reciprocal on s232 cars, EO 14257 3(b)).
    ("JPN", "8703230140", "2025-10-01", 0.15, 0.275),
    # before 2025-09-16 Japan's cars paid 27.5 % with the deal too (the 15 % applied from that date)
    ("JPN", "8703230140", "2025-08-10", 0.275, 0.275),
    # reciprocal: higher of column 1 or 15 % (EO 14345, retroactive to 2025-08-07) against the letter's
    # 25 % stacked on column 1: 2 + 25 = 27 %
    ("JPN", "8481809005", "2025-10-01", 0.15, 0.27),
    # forced-labour s301 (note 52): 12.5 % minimum total against a flat 12.5 % on top: 2 + 12.5 = 14.5 %
    ("JPN", "8481809005", "2026-08-01", 0.125, 0.145),
    # under the s122 surcharge (10 % + column 1 2 %) the deal changes nothing
    ("JPN", "8481809005", "2026-03-01", 0.12, 0.12),
    # EU. Cars 15 % all-in retroactive to 2025-08-01 (FR notice of 2025-09-25) against 27.5 %.
    ("EUN", "8703230140", "2025-08-10", 0.15, 0.275),
    # reciprocal: 15 % all-in (EO 14326) against the letter's 30 % on top of column 1: 2 + 30 = 32 %
    ("EUN", "8481809005", "2025-10-01", 0.15, 0.32),
    # forced-labour s301: 10 % minimum total against 2 + 10 = 12 %
    ("EUN", "8481809005", "2026-08-01", 0.10, 0.12),
    # Switzerland. Annex I 31 % for one day: 2 + 31 = 33 % either way; 39 % (EO 14326) from 2025-08-07:
    # 2 + 39 = 41 % either way; from 2025-11-14 (FR 2025-23316) 15 % all-in against 41 %.
    ("CHE", "8481809005", "2025-04-09", 0.33, 0.33),
    ("CHE", "8481809005", "2025-10-01", 0.41, 0.41),
    ("CHE", "8481809005", "2025-12-01", 0.15, 0.41),
    ("CHE", "8481809005", "2026-08-01", 0.125, 0.145),
    # Taiwan. 20 % stacked (EO 14326, 9903.02.60) to 2026-02-24 either way: 2 + 20 = 22 %
    # (no all-inclusive heading for Taiwan in HTS 2026 revisions 1-4).
    ("TWN", "8481809005", "2026-01-20", 0.22, 0.22),
    # car parts 15 % all-in from 2026-05-01 (HTS 2026 rev 9, 9903.94.66) against 2.5 + 25 = 27.5 %
    ("TWN", "8708295160", "2026-06-01", 0.15, 0.275),
    # forced-labour s301: 10 % minimum total against 2 + 10 = 12 %
    ("TWN", "8481809005", "2026-08-01", 0.10, 0.12),
]
_REGIME_OF = {"JPN": "no_jpn_deal", "EUN": "no_eu_deal", "CHE": "no_che_deal", "TWN": "no_twn_deal"}


@pytest.fixture(scope="module")
def engines():  # type: ignore[no-untyped-def]
    from tradepact.resolve.tariff_files import default_schedule, default_tariff_system
    from tradepact.studies.tariffs import TariffEngine
    system, schedule = default_tariff_system(), default_schedule()
    return {r: TariffEngine(system, schedule, regime=r)
            for r in ("enacted", "twn_recip_15_announced", *NO_DEAL)}


@pytest.mark.parametrize("partner,hs,day,with_deal,without_deal", HAND_CASES,
                         ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in HAND_CASES])
def test_rates_with_and_without_each_deal_worked_by_hand(engines, partner, hs, day, with_deal,
                                                         without_deal) -> None:  # type: ignore[no-untyped-def]
    assert engines["enacted"].explain(partner, hs, day).total_rate == pytest.approx(with_deal, abs=1e-9)
    got = engines[_REGIME_OF[partner]].explain(partner, hs, day)
    assert got.total_rate == pytest.approx(without_deal, abs=1e-9)


def test_taiwan_announced_floor_is_a_variant_only(engines) -> None:  # type: ignore[no-untyped-def]
    # the 2026-01-15 memorandum's 15 % all-in, if it had applied: max(2 %, 15 %) = 15 % instead of 22 %
    assert engines["twn_recip_15_announced"].explain("TWN", "8481809005", "2026-01-20").total_rate \
        == pytest.approx(0.15)
    assert engines["twn_recip_15_announced"].explain("TWN", "8481809005", "2026-01-14").total_rate \
        == pytest.approx(0.22)


@pytest.mark.parametrize("regime", sorted(NO_DEAL))
def test_each_no_deal_regime_changes_only_its_investor(engines, regime: str) -> None:  # type: ignore[no-untyped-def]
    """Every partner but the deal's investor pays the same with and without the deal, on the lines the
    deal measures touch (cars, parts, note 33(r) parts, annex I-C steel, lumber, polysilicon, patented
    pharmaceuticals, valves) on dates across every measure's life."""
    import numpy as np
    from tradepact.io.shipped import imports_2024
    partners = sorted(set(imports_2024()["partner"].to_list()))
    lines = ["8703230140", "8708295160", "8708921000", "8427104000", "4407110001", "8541420010",
             "2933995300", "8481809005"]
    for day in ("2025-04-09", "2025-08-10", "2025-10-01", "2025-12-01", "2026-01-20", "2026-06-15",
                "2026-08-01", "2026-10-01", "2026-12-10"):
        a = engines["enacted"].grid(lines, partners, dt.date.fromisoformat(day)).total
        b = engines[regime].grid(lines, partners, dt.date.fromisoformat(day)).total
        changed = {p for j, p in enumerate(partners) if not np.allclose(a[:, j], b[:, j])}
        assert changed <= NO_DEAL[regime], (regime, day, changed)


# ---------------------------------------------------------------- full assessment
ASSESSED = ["jp_us_2025/final", "jp_us_2025/jp_reading", "tw_us_2026/final", "ch_us_2025/final",
            "eu_us_2025/final"]


@pytest.fixture(scope="module")
def peers_assessed():  # type: ignore[no-untyped-def]
    from tradepact.studies.assess import assess
    return assess(ASSESSED)


@pytest.mark.parametrize("name", ASSESSED)
def test_peer_assesses_from_yaml_only(peers_assessed, name: str) -> None:  # type: ignore[no-untyped-def]
    s = peers_assessed[name]
    head = s.to_dict()["headline"]
    assert head["pledge_usd_bn"] == pytest.approx(PUBLISHED_PLEDGE[name])
    assert s.tariff_regimes == ("enacted", load_scenario(SCENARIO_ROOT / f"{name}.yaml").spec.tariffs.without_deal)
    # the deal lowers the investor's duties: savings = bill without - bill with, never negative
    annual = s.annual
    gap = annual["tariff_bill_without_deal_usd_bn"] - annual["tariff_bill_with_deal_usd_bn"]
    assert gap.to_numpy() == pytest.approx(annual["tariff_savings_usd_bn"].to_numpy())
    assert (annual["tariff_savings_usd_bn"] >= -1e-9).all() and annual["tariff_savings_usd_bn"].max() > 0
