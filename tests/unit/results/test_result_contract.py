"""One contract for every result type (results/base.py): ``to_dict`` round-trips
through strict JSON, ``compare`` is a DataFrame of numbers, ``_repr_html_``
shows the units, ``provenance`` is not empty and names where each input came from."""

import json

import pandas as pd
import pytest

from tradepact.results.base import PROVENANCE_COLUMNS, Result
from tradepact.studies.assess import assess
from tradepact.studies.evidence import evidence_report
from tradepact.studies.simulate import simulate
from tradepact.studies.tariffs import TariffEngine
from tradepact.studies.verdict import verdict
from tradepact.studies.zopa import find_zopa

FINAL = "us_kr_2025/final"


def _assessment():
    return assess([FINAL, "us_kr_2025/us_initial"])


def _simulation():
    return simulate(FINAL, n_draws=64, seed=1)


def _zone():
    return find_zopa(FINAL, grid={"cash_share": [0.4, 0.6, 0.8], "annual_cap_usd_bn": [15.0, 20.0, 25.0],
                                  "profit_share_investor_before": [0.5], "profit_share_investor_after": [0.9]})


BUILDERS = {
    "Assessment": _assessment,
    "ScenarioAssessment": lambda: _assessment()["final"],
    "SimulationResult": _simulation,
    "ZoneOfAgreement": _zone,
    "Verdict": lambda: verdict([FINAL], n_draws=50, seed=2),
    "ScenarioVerdict": lambda: verdict([FINAL], n_draws=50, seed=2)["final"],
    "TariffRate": lambda: TariffEngine().rate("KOR", "870323", "2025-12-01"),
    "EffectiveRates": lambda: TariffEngine().effective_rates("2025-12-01", by="partner"),
    "EvidenceReport": lambda: evidence_report(),
}


@pytest.fixture(scope="module", params=sorted(BUILDERS))
def result(request):
    try:
        return BUILDERS[request.param]()
    except TypeError as exc:           # a builder's keyword drifted from the study's signature
        pytest.fail(f"{request.param}: {exc}")


def test_is_a_result(result):
    assert isinstance(result, Result)
    assert type(result).SCHEMA != Result.SCHEMA


def test_to_dict_round_trips_through_strict_json(result):
    d = result.to_dict()
    text = json.dumps(d, allow_nan=False, sort_keys=True)      # NaN or infinity would not be JSON
    again = json.loads(text)
    assert json.dumps(again, allow_nan=False, sort_keys=True) == text
    assert set(again) == set(d)


def test_compare_is_a_dataframe_with_units(result):
    table = result.compare()
    assert isinstance(table, pd.DataFrame)
    units = "unit" in table.columns or bool(table.attrs.get("units"))
    assert units, f"{type(result).__name__}.compare() names no units"


def test_html_shows_the_units(result):
    html = result._repr_html_()
    assert html.lstrip().startswith("<")
    table = result.compare()
    expected = (set(table["unit"].dropna().astype(str)) - {""} if "unit" in table.columns
                else set(table.attrs["units"].values()))
    assert expected, "no unit to show"
    assert all(u.replace("&", "&amp;") in html or u in html for u in expected)


def test_provenance_is_not_empty_and_has_the_columns(result):
    prov = result.provenance()
    assert isinstance(prov, pd.DataFrame) and len(prov) > 0
    assert set(PROVENANCE_COLUMNS) <= set(prov.columns)


def test_summary_is_text(result):
    text = result.summary()
    assert isinstance(text, str) and text.strip()
