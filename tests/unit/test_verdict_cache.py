"""The verdict: both tornado ends in one resolve, point outcomes reused, results cached on disk."""

import shutil

import numpy as np
import pytest

from tradepact.core.parameters import default_parameters
from tradepact.core.scenario import Scenario
from tradepact.resolve import resolve
from tradepact.studies import verdict as V
from tradepact.studies.assess import evaluate, evaluate_scenarios
from tradepact.studies.uncertainty import load_uncertainty


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TRADEPACT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_default_uncertainty_is_the_simulations():
    from tradepact.studies.simulate import DEFAULT_UNCERTAINTY
    assert V.DEFAULT_UNCERTAINTY == DEFAULT_UNCERTAINTY


def test_tornado_ends_equal_one_resolve_per_end():
    """The batched tornado against the one-value-at-a-time evaluation (the former method)."""
    sc, tree = Scenario.load("us_kr_2025/final"), default_parameters()
    holder = Scenario.load(V.DEFAULT_UNCERTAINTY)
    swings = V.tornado(sc, tree, holder)
    model = load_uncertainty(sc, tree, holder)
    marginals = dict(zip(model.shock.paths, model.shock.marginals))
    assert len(swings) >= 3
    for s in swings:
        lo, hi = (float(v) for v in marginals[s.path].ppf(np.asarray(V.SWING_QUANTILES)))
        assert (s.low_value, s.high_value) == (lo, hi)
        for value, inv, host in ((lo, s.investor_low_usd_bn, s.host_low_usd_bn),
                                 (hi, s.investor_high_usd_bn, s.host_high_usd_bn)):
            p = evaluate(resolve(sc, tree, draws={s.path: np.array([value])})).payoffs
            assert inv == pytest.approx(float(np.mean(p.investor)), rel=1e-12, abs=1e-9)
            assert host == pytest.approx(float(np.mean(p.host)), rel=1e-12, abs=1e-9)


def test_cached_verdict_equals_a_fresh_one(cache):
    names = ["us_kr_2025/kr_october", "us_kr_2025/final"]
    fresh = V.verdict(names, n_draws=256, cache=False)
    assert not cache.exists()
    loaded = [Scenario.load(n) for n in names]
    first = V.verdict(loaded, n_draws=256, outcomes=evaluate_scenarios(loaded))
    assert first == fresh
    entries = cache / "results"
    assert len(list(entries.glob("*.pickle"))) == 2                  # one per scenario
    assert V.verdict(names, n_draws=256) == fresh
    assert V.verdict(names[1:], n_draws=256).scenarios == fresh.scenarios[1:]     # reused alone
    assert len(list(entries.glob("*.pickle"))) == 2
    V.verdict(names[1:], n_draws=128)                                # other arguments, other entry
    assert len(list(entries.glob("*.pickle"))) == 3


def test_scenarios_outside_the_package_are_not_cached(cache, tmp_path):
    src = Scenario.load("us_kr_2025/kr_october").source
    mine = tmp_path / "mine.yaml"
    shutil.copy(src, mine)
    holder = Scenario.load(V.DEFAULT_UNCERTAINTY)
    assert V._cache_key(Scenario.load(mine), holder, 100, 0, True) is None
    assert V._cache_key(Scenario.load("us_kr_2025/final"), holder, 100, 0, True) is not None
    V.verdict([mine], n_draws=64)
    assert not (cache / "results").exists()
