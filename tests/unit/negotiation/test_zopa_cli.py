"""`tradepact zopa`: the JSON contract and one-paragraph errors for bad option values."""

import contextlib
import io
import json
import subprocess
import sys

import pytest

from tradepact.interfaces.cli import main

DIMS = ("cash_share", "annual_cap_usd_bn", "years", "guarantee_share", "investor_share_before_recoup",
        "investor_share_after_recoup")
FIXED = {"years": 3.0, "guarantee_share": 0.25, "investor_share_after_recoup": 0.1}
PROPOSALS = ("us_kr_2025/us_initial", "us_kr_2025/kr_october", "us_kr_2025/final")


def _strict(text):
    """Parse JSON refusing NaN and Infinity, which are not JSON."""
    def refuse(token):
        raise ValueError(f"{token} is not JSON")
    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def zopa_json():
    args = ["zopa", "--json", "--no-progress", "--refine", "2"]
    for k, v in FIXED.items():
        args += ["--fix", f"{k}={v}"]
    for p in PROPOSALS:
        args += ["--proposal", p]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    assert code == 0, err.getvalue()
    return _strict(out.getvalue())


def test_zopa_json_top_level(zopa_json):
    d = zopa_json
    assert set(d) == {"schema", "tradepact_version", "base", "n_draws", "seed", "stress", "tariff_relief",
                      "reservation_values_usd_bn", "design_space", "grid", "frontier",
                      "nash_bargaining_solution", "proposals"}
    assert d["base"] == "us_kr_2025/final" and d["n_draws"] == 1 and d["seed"] == 0 and d["stress"] == "hard"
    assert set(d["reservation_values_usd_bn"]) == {"investor", "host"}
    assert d["design_space"]["fixed"] == FIXED
    free = [k for k in DIMS if k not in FIXED]
    assert list(d["design_space"]["bounds"]) == free
    assert all(len(v) == 2 and v[0] <= v[1] for v in d["design_space"]["bounds"].values())
    # The default grid over the free dimensions: 11 cash shares (0, 0.1, ..., 1), 10 caps
    # (5 ... 120) and 5 before-recoup shares (0.1, 0.3, ..., 0.9).
    g = d["grid"]
    assert g["designs"] == 11 * 10 * 5
    assert 0 < g["in_zone"] <= g["feasible"] <= g["designs"]


def test_zopa_json_frontier(zopa_json):
    front = zopa_json["frontier"]
    assert len(front) >= 3
    for p in front:
        assert set(p) == set(DIMS) | {"investor_payoff_usd_bn", "host_payoff_usd_bn", "source"}
        assert p["source"] in ("grid", "optimiser")
        for k, v in FIXED.items():
            assert p[k] == pytest.approx(v)
    inv = [p["investor_payoff_usd_bn"] for p in front]
    host = [p["host_payoff_usd_bn"] for p in front]
    # A frontier: investor payoffs rise along it while host payoffs fall (no point dominates another).
    assert all(a < b for a, b in zip(inv, inv[1:]))
    assert all(a > b for a, b in zip(host, host[1:]))
    nash = zopa_json["nash_bargaining_solution"]
    res = zopa_json["reservation_values_usd_bn"]
    assert nash in front
    assert nash["investor_payoff_usd_bn"] >= res["investor"] and nash["host_payoff_usd_bn"] >= res["host"]


def test_zopa_json_proposals(zopa_json):
    props = zopa_json["proposals"]
    assert [p["name"] for p in props] == list(PROPOSALS)
    res = zopa_json["reservation_values_usd_bn"]
    for p in props:
        assert set(p) >= {"name", "title", "design", "investor", "host", "over_capacity_probability", "feasible",
                          "in_zone", "dominated_by_frontier", "equal_gain_to_frontier"}
        assert set(p["design"]) == set(DIMS)
        assert all(v is None or isinstance(v, float) for v in p["design"].values())
        if p["in_zone"]:
            assert p["feasible"] and p["investor"] >= res["investor"] and p["host"] >= res["host"]
    first = props[0]
    # The US's first demand (all cash inside the selection window) is far over capacity.
    assert first["over_capacity_probability"] == 1.0 and not first["feasible"] and not first["in_zone"]
    assert first["design"]["years"] is None          # no non-cash part: the coordinate does not exist


@pytest.mark.parametrize("args, field, needle", [
    (["--fix", "cash_share=abc"], "--fix", "not a number"),
    (["--fix", "cash_share="], "--fix", "expected one number"),
    (["--fix", "cash_share"], "--fix", "DIMENSION=VALUE"),
    (["--fix", "cash_share=1.5"], "cash_share", "a share outside [0, 1]"),
    (["--bounds", "cash_share=0.5"], "--bounds", "two numbers"),
    (["--bounds", "annual_cap_usd_bn=40:5"], "annual_cap_usd_bn", "bounds reversed"),
    (["--bounds", "colour=0:1"], "design", "unknown design dimension"),
    (["--fix", "cash_share=0.5", "--bounds", "cash_share=0:1"], "design", "both free and fixed"),
])
def test_bad_option_values_are_one_paragraph_with_exit_2(args, field, needle, capsys):
    code = main(["zopa", "--json", "--no-progress", "--refine", "0", *args])
    captured = capsys.readouterr()
    assert code == 2
    err = captured.err.strip()
    assert err.startswith("error: ") and "\n\n" not in err and "Traceback" not in err
    assert f"field '{field}'" in err and needle in err
    assert captured.out == ""


def test_bad_option_value_via_the_installed_command():
    proc = subprocess.run([sys.executable, "-m", "tradepact", "zopa", "--bounds", "cash_share=0.5"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: field '--bounds'") and "cash_share=0.5" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
