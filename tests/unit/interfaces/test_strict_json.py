"""Strict JSON through the fast writer: the same document the standard library writes."""

import datetime as dt
import json
import math

import numpy as np
import pytest

from tradepact.interfaces import export
from tradepact.interfaces.export import dumps, strict


def _reference(obj, **kwargs):
    """The standard library's text of the cleaned document (the writer before orjson)."""
    kwargs.setdefault("indent", 2)
    return json.dumps(strict(obj), default=lambda o: o.isoformat(), allow_nan=False, **kwargs)


DOC = {"name": "Seoul \u2013 \uc11c\uc6b8 \U0001F600", "n": 3, "x": 2.5, "ok": True, "none": None,
       "on": dt.date(2025, 11, 14), "at": dt.datetime(2025, 11, 14, 9, 30), 7: "int key",
       "nested": {"list": [1, 2.0, "three", [4.5]], "empty": {}, "nothing": []}}


def test_same_text_as_the_standard_library():
    assert export._orjson is not None          # the fast path is what is tested here
    assert dumps(DOC) == _reference(DOC)
    assert dumps(DOC, sort_keys=False, ensure_ascii=False) == _reference(DOC, ensure_ascii=False)
    doc = {k: v for k, v in DOC.items() if isinstance(k, str)}
    assert dumps(doc, sort_keys=True) == _reference(doc, sort_keys=True)


def test_non_finite_numbers_are_null_with_their_path():
    doc = {"x": [[1.0, float("nan")]], "y": {"z": np.float64(np.inf)}, "arr": np.array([1.0, -np.inf]),
           "k": np.int64(4), "f": np.float32(0.5)}
    back = json.loads(dumps(doc), parse_constant=lambda c: pytest.fail(c))
    assert back["x"] == [[1.0, None]] and back["y"] == {"z": None} and back["arr"] == [1.0, None]
    assert back["k"] == 4 and back["f"] == 0.5
    assert set(back["null_reasons"]) == {"x[0][1]", "y.z", "arr[1]"}
    assert back["null_reasons"]["arr[1]"].startswith("unbounded below")


def test_floats_round_trip_exactly():
    values = [1e-05, 7.85288901369863e-05, 1e16, 0.1 + 0.2, -0.0, 123456.789, 5e-324, 1.7976931348623157e308]
    back = json.loads(dumps({"v": values}))["v"]
    assert all(a == b and math.copysign(1, a) == math.copysign(1, b) for a, b in zip(back, values))


def test_fallbacks_give_the_same_document(monkeypatch):
    big = {"n": 2 ** 70, "s": "caf\u00e9"}           # beyond 64 bits: orjson refuses, the standard writer takes it
    assert dumps(big) == _reference(big)
    fast = dumps(DOC)
    monkeypatch.setattr(export, "_orjson", None)
    assert dumps(DOC) == fast
    assert dumps(DOC, indent=None) == _reference(DOC, indent=None)


def test_the_assessment_parses_to_the_same_document(monkeypatch):
    from tradepact.studies.assess import assess
    doc = assess(["us_kr_2025/final"]).to_dict()
    fast = dumps(doc)
    monkeypatch.setattr(export, "_orjson", None)
    slow = dumps(doc)
    assert json.loads(fast) == json.loads(slow)
    assert [len(line) - len(line.lstrip()) for line in fast.splitlines()] == \
        [len(line) - len(line.lstrip()) for line in slow.splitlines()]      # the same indentation, line by line
