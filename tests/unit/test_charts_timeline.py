"""rate_timeline_chart: small multiples by sector, one step line per partner."""

import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from tradepact.interfaces.charts import rate_timeline_chart

SVG = "{http://www.w3.org/2000/svg}"
SECTORS = ("all", "cars", "car_parts", "steel")
PARTNERS = ("KOR", "JPN", "EUN")
STEPS = [("2025-01-01", "2025-04-03", 0.025), ("2025-04-03", "2025-11-01", 0.25),
         ("2025-11-01", "2026-01-01", 0.15)]


def frame(cases=("with_deal", "without_deal"), no_trade=()):
    """A rate_timeline-shaped frame: every sector × partner × case, three steps."""
    rows = []
    for case in cases:
        for sector in SECTORS:
            for p in PARTNERS:
                for a, b, etr in STEPS:
                    rows.append({"start": pd.Timestamp(a), "stop": pd.Timestamp(b),
                                 "regime": "enacted" if case == "with_deal" else "no_kor_deal",
                                 "case": case, "partner": p, "sector": sector,
                                 "etr": float("nan") if (p, sector) in no_trade else etr,
                                 "duty_usd_bn": 1.0, "customs_value_usd_bn": 1.0})
    return pd.DataFrame(rows)


def groups(svg):
    root = ET.fromstring(svg)   # well-formed XML
    return {g.get("id"): g for g in root.iter(f"{SVG}g") if (g.get("id") or "").startswith("rt-")}


def width(g):
    path = next(g.iter(f"{SVG}path"))
    return float(re.search(r"stroke-width:\s*([\d.]+)", path.get("style")).group(1))


def test_one_line_per_partner_per_panel_and_kor_counterfactual_dashed():
    svg = rate_timeline_chart(frame())
    assert svg.startswith("<svg")
    g = groups(svg)
    for sector in SECTORS:
        lines = {k for k in g if k.startswith(f"rt-{sector}-")}
        # one line per partner with the deal, plus Korea without it
        assert lines == {f"rt-{sector}-{p}-with_deal" for p in PARTNERS} | {f"rt-{sector}-KOR-without_deal"}
        dashed = next(g[f"rt-{sector}-KOR-without_deal"].iter(f"{SVG}path")).get("style")
        assert "stroke-dasharray" in dashed
        assert "stroke-dasharray" not in next(g[f"rt-{sector}-KOR-with_deal"].iter(f"{SVG}path")).get("style")
        assert width(g[f"rt-{sector}-KOR-with_deal"]) > width(g[f"rt-{sector}-JPN-with_deal"])
    assert len(g) == len(SECTORS) * (len(PARTNERS) + 1)
    for title in ("All sectors", "Cars", "Car parts", "Steel"):
        assert title in svg


def test_without_counterfactual_and_without_trade():
    svg = rate_timeline_chart(frame(cases=("with_deal",), no_trade={("JPN", "steel")}))
    g = groups(svg)
    assert not any(k.endswith("without_deal") for k in g)
    assert {k for k in g if k.startswith("rt-steel-")} == {"rt-steel-KOR-with_deal", "rt-steel-EUN-with_deal"}
    assert "no trade: JPN" in svg
    assert len(g) == len(SECTORS) * len(PARTNERS) - 1


def test_a_frame_without_the_columns_is_an_error():
    with pytest.raises(ValueError, match="lacks column"):
        rate_timeline_chart(frame().drop(columns=["etr"]))


def test_chart_of_the_shipped_timeline():
    import datetime as dt

    from tradepact.tariffs import rate_timeline
    from tradepact.resolve.tariff_files import default_schedule, default_tariff_system, load_trade_table

    system = default_tariff_system()
    f = rate_timeline(system.regime("enacted"), load_trade_table().imports, system=system,
                      schedule=default_schedule(), start=dt.date(2025, 1, 1), stop=dt.date(2026, 1, 1),
                      without_deal=system.regime("no_kor_deal"), partners=["KOR", "JPN", "EUN", "MEX", "CHN"])
    g = groups(rate_timeline_chart(f))
    # every partner asked for traded cars and car parts in 2024
    for sector in ("all", "cars", "car_parts"):
        assert {k for k in g if k.startswith(f"rt-{sector}-") and k.endswith("-with_deal")} == {
            f"rt-{sector}-{p}-with_deal" for p in ("KOR", "JPN", "EUN", "MEX", "CHN")}
        assert f"rt-{sector}-KOR-without_deal" in g
    assert "rt-steel-KOR-with_deal" in g


def test_without_a_case_column_the_first_regime_is_the_deal():
    g = groups(rate_timeline_chart(frame().drop(columns=["case"])))
    assert "rt-cars-KOR-without_deal" in g and "rt-cars-JPN-without_deal" not in g
    assert len(g) == len(SECTORS) * (len(PARTNERS) + 1)
