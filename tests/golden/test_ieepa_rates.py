"""Golden test: the engine's IEEPA reciprocal rates by country against the Budget Lab tracker.

Outside figure
--------------
Yale Budget Lab, tariff-rate-tracker, ``data/processed/ieepa_country_rates.csv``
(commit 3d110994975c72fc2b9cda20f4fc004d997b422a, 2026-03-03; rates parsed from the
chapter 99 headings 9903.01.xx / 9903.02.xx of the HTS), with Census country codes
mapped to ISO3 by ``us-hts-2025/census_to_iso3.csv``. Read from ``../shared``; the
tests skip when it is absent. Last checked 2026-12-01.

Phases, and the date each is tested on
--------------------------------------
* ``phase1_apr9``, terminated: the Annex I country rates of EO 14257 were suspended
  on 2025-04-10 (EO 14266), leaving the 10 % baseline (9903.01.25); the tracker
  records them at 0.10. Tested on 2025-06-01 (no partner's phase 2 yet).
* ``phase2_aug7`` and ``country_eo`` (EO 14326 from 2025-08-07; the Brazil EO
  14323 +40 % and the India EO 14329 +25 %, in force by 2025-08-27). Tested on
  2025-09-01: a ``surcharge`` adds its rate (a country's surcharges sum), a ``floor``
  (EU, Japan, Korea after its deal) is ``max(0, 15 % - column 1 general)``.
  Korea's 15 % was a surcharge until 2025-11-14, a floor from then (9903.02.80):
  both are tested.

Lines: 9503.00.00.73 (toys, column 1 Free, no Annex II or s232 scope), and for the
floor 6109.10.00.12 (cotton T-shirts, column 1 16.5 %: the floor adds nothing).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw"
TRACKER = SHARED / "tariff-rate-tracker" / "data" / "processed" / "ieepa_country_rates.csv"
CENSUS_ISO = SHARED / "us-hts-2025" / "census_to_iso3.csv"
pytestmark = pytest.mark.skipif(not (TRACKER.exists() and CENSUS_ISO.exists()),
                                reason="../shared/data/raw (tariff-rate-tracker, us-hts-2025) not present")

FREE_LINE = "9503000073"       # HTS 2025: toys, general "Free"
DUTIABLE_LINE = "6109100012"   # HTS 2025: cotton T-shirts, general 16.5 %
MFN_DUTIABLE = 0.165
PHASE1_DAY, PHASE2_DAY = "2025-06-01", "2025-09-01"

#: Partners whose tracker row is not the legal rate (docs/policy_timing.md, discrepancy log): strict xfail.
TRACKER_ERRORS = {
    "TUN": "tracker gives Census code 7230 (Tunisia) to both Cote d'Ivoire (9903.02.15, 15 %) and Tunisia "
           "(9903.02.63, 25 %), so the summed 40 % is no rate; EO 14326 Annex I: Tunisia 25 %",
}


def _tracker() -> tuple[dict[str, dict], set[str]]:
    """Phase-2 expectation by ISO3 (``surcharge`` sum, ``floor``) and the phase-1 partners."""
    iso = {r["cty_code"].zfill(4): r["iso3"] for r in csv.DictReader(CENSUS_ISO.open())}
    phase2: dict[str, dict] = {}
    phase1: set[str] = set()
    for r in csv.DictReader(TRACKER.open()):
        code = iso.get(r["census_code"].zfill(4))
        if code is None or r["rate"] == "NA":
            continue
        if r["phase"] == "phase1_apr9":
            assert float(r["rate"]) == 0.10
            phase1.add(code)
            continue
        if r["terminated"] == "TRUE":   # superseded (Japan's 15 % surcharge -> its floor)
            continue
        d = phase2.setdefault(code, {"surcharge": 0.0, "floor": None})
        if r["rate_type"] == "floor":
            d["floor"] = float(r["rate"])
        else:
            d["surcharge"] += float(r["rate"])
    return phase2, phase1


@pytest.fixture(scope="module")
def engine():
    from tradepact.studies.tariffs import TariffEngine
    return TariffEngine()


def _recip(engine, partner: str, line: str, day: str) -> float:
    return float(engine.grid([line], [partner], day).rates["ieepa_recip"][0, 0])


def _cases() -> list:
    if not TRACKER.exists() or not CENSUS_ISO.exists():
        return []
    from tradepact.resolve.tariff_files import default_tariff_system
    known = default_tariff_system().partners.codes
    phase2, _ = _tracker()
    out = []
    for code, d in sorted(phase2.items()):
        if code not in known:
            continue
        marks = []
        if code in TRACKER_ERRORS:
            marks = [pytest.mark.xfail(strict=True, reason=TRACKER_ERRORS[code])]
        out.append(pytest.param(code, d, id=code, marks=marks))
    return out


@pytest.mark.parametrize("partner,expected", _cases())
def test_phase2_rate_on_a_free_line(engine, partner, expected):
    """On a line with column 1 Free the rate is the country's surcharge (sum of its
    ch99 headings), or its 15 % floor (15 % - 0)."""
    if partner == "KOR":   # surcharge until the deal (2025-11-14), floor after
        want = expected["surcharge"]
    else:
        want = expected["floor"] if expected["floor"] is not None else expected["surcharge"]
    assert _recip(engine, partner, FREE_LINE, PHASE2_DAY) == pytest.approx(want, abs=1e-12)


def test_phase1_is_the_ten_percent_baseline(engine):
    from tradepact.resolve.tariff_files import default_tariff_system
    _, phase1 = _tracker()
    known = default_tariff_system().partners.codes
    got = {p: _recip(engine, p, FREE_LINE, PHASE1_DAY) for p in sorted(phase1 & known)}
    assert len(got) >= 60
    assert {p: r for p, r in got.items() if abs(r - 0.10) > 1e-12} == {}


@pytest.mark.parametrize("partner", ["DEU", "FRA", "JPN"])
def test_floor_adds_nothing_above_fifteen_percent(engine, partner):
    """A floor is an all-in 15 %: on a 16.5 % MFN line nothing is added."""
    phase2, _ = _tracker()
    assert phase2[partner]["floor"] == 0.15
    assert _recip(engine, partner, DUTIABLE_LINE, PHASE2_DAY) == pytest.approx(max(0.0, 0.15 - MFN_DUTIABLE))


def test_korea_surcharge_then_floor(engine):
    """Korea: 15 % on top (9903.02.56) before 2025-11-14; the all-in 15 % floor
    (9903.02.80) after; on a Free line both are 15 %."""
    phase2, _ = _tracker()
    assert phase2["KOR"] == {"surcharge": 0.15, "floor": 0.15}
    assert _recip(engine, "KOR", FREE_LINE, "2025-09-01") == pytest.approx(0.15)
    assert _recip(engine, "KOR", FREE_LINE, "2025-12-01") == pytest.approx(0.15 - 0.0)
