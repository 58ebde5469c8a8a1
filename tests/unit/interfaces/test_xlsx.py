"""The Excel workbook written by xlsxwriter directly: what pandas' own writer writes."""

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("xlsxwriter")
openpyxl = pytest.importorskip("openpyxl")

from tradepact.interfaces.xlsx import write_xlsx


def frames():
    table = pd.DataFrame({
        "scenario": ["a", "b", None, "=1+1"],
        "year": np.array([2025, 2026, 2027, 2028], dtype="int64"),
        "value": [1.5, float("nan"), float("inf"), -float("inf")],
        "flag": [True, False, True, False],
        "when": pd.to_datetime(["2025-01-01 00:00", "2025-04-03 12:00", None, "2026-01-01 00:00"]),
        "mixed": [1, 2.5, "text", None],
        "href": ["https://www.federalregister.gov/d/2025-1", "", "x", "mailto:a@b.c"],
    })
    headline = pd.DataFrame({"us_kr_2025/final": [20.0, 0.055]}, index=["cash_cap", "irr"])
    return [("headline", headline, "figure"), ("table", table, None)]


def test_cells_read_back_as_written(tmp_path):
    path = tmp_path / "a.xlsx"
    write_xlsx(path, frames())
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["headline", "table"]
    h = [[c.value for c in row] for row in wb["headline"].iter_rows()]
    assert h == [["figure", "us_kr_2025/final"], ["cash_cap", 20], ["irr", 0.055]]
    t = [[c.value for c in row] for row in wb["table"].iter_rows()]
    assert t[0] == ["scenario", "year", "value", "flag", "when", "mixed", "href"]
    assert t[1] == ["a", 2025, 1.5, True, dt.datetime(2025, 1, 1), 1, "https://www.federalregister.gov/d/2025-1"]
    assert t[2][2] is None and t[2][4] == dt.datetime(2025, 4, 3, 12) and t[2][5] == 2.5 and t[2][6] is None
    assert t[3][0] is None and t[3][2] == "inf" and t[3][4] is None and t[3][5] == "text"
    assert t[4][2] == "-inf" and t[4][5] is None
    assert wb["table"]["E2"].number_format == "YYYY-MM-DD HH:MM:SS"


def test_same_workbook_as_pandas(tmp_path):
    """Read back, the fast writer's workbook equals the one pandas' to_excel writes."""
    fast, slow = tmp_path / "fast.xlsx", tmp_path / "slow.xlsx"
    sheets = frames()
    write_xlsx(fast, sheets)
    with pd.ExcelWriter(slow, engine="xlsxwriter") as xl:
        for name, frame, label in sheets:
            frame.to_excel(xl, sheet_name=name, index=label is not None, index_label=label)
    a, b = pd.read_excel(fast, sheet_name=None), pd.read_excel(slow, sheet_name=None)
    assert list(a) == list(b)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True)
    ws_a, ws_b = openpyxl.load_workbook(fast)["table"], openpyxl.load_workbook(slow)["table"]
    for ra, rb in zip(ws_a.iter_rows(), ws_b.iter_rows(), strict=True):
        for ca, cb in zip(ra, rb, strict=True):
            va, vb = ca.value, cb.value
            assert va == vb or (isinstance(va, float) and math.isnan(va) and math.isnan(vb)), (ca.coordinate, va, vb)
