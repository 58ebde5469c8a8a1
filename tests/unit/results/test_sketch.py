"""Streaming summaries against exact NumPy figures on 1e6 draws."""

from __future__ import annotations

import numpy as np
import pytest

from tradepact.results.sketch import EXACT_MAX, Moments, QuantileSketch

Q = np.array([0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0])


def _streams(n: int, rng: np.random.Generator) -> np.ndarray:
    """Five streams unlike each other: normal, lognormal (skewed), a point mass
    plus noise, whole-number years with NaN ("never"), and a drift in draw order."""
    years = rng.integers(2030, 2060, n).astype(float)
    years[rng.random(n) < 0.2] = np.nan
    drift = rng.normal(0, 1, n) + np.linspace(0, 3, n)
    mass = np.where(rng.random(n) < 0.6, 5.0, rng.normal(5, 2, n))
    return np.column_stack([rng.normal(100, 15, n), rng.lognormal(0, 1, n), mass, years, drift])


def _feed(sk: QuantileSketch, x: np.ndarray, chunk: int) -> None:
    for a in range(0, x.shape[0], chunk):
        sk.update(x[a:a + chunk])


def test_exact_below_the_threshold() -> None:
    rng = np.random.default_rng(3)
    x = _streams(EXACT_MAX, rng)
    sk = QuantileSketch(x.shape[1])
    _feed(sk, x, 8192)
    assert sk.exact
    np.testing.assert_array_equal(sk.quantiles(Q), np.nanquantile(x, Q, axis=0))
    np.testing.assert_array_equal(sk.value_error(Q), 0.0)


def test_a_sketch_told_more_will_follow_grids_on_its_first_exact_max_values() -> None:
    """With ``expected`` past ``exact_max``, the grid is laid when ``exact_max`` values
    are in (not when the next chunk arrives): over their range, widened by half of
    it on each side, in ``bins`` bins (by hand here); without it the sketch stays exact."""
    rng = np.random.default_rng(11)
    x = rng.normal(0, 1, (EXACT_MAX, 2))
    told, untold = QuantileSketch(2, expected=2 * EXACT_MAX), QuantileSketch(2)
    _feed(told, x, EXACT_MAX // 4)
    _feed(untold, x, EXACT_MAX // 4)
    assert untold.exact and not told.exact and told.n == EXACT_MAX
    span = x.max(axis=0) - x.min(axis=0)
    width = 2 * span / told.bins
    np.testing.assert_allclose(told.value_error([0.5])[0], width / 2, rtol=1e-12)
    med = np.quantile(x, 0.5, axis=0, method="inverted_cdf")
    assert np.all(np.abs(told.quantiles([0.5])[0] - med) <= width / 2 * (1 + 1e-12))
    stays = QuantileSketch(2, expected=EXACT_MAX)
    stays.update(x)
    assert stays.exact


def test_sketch_within_its_stated_error_on_1e6_draws() -> None:
    rng = np.random.default_rng(20251114)
    n = 1_000_000
    x = _streams(n, rng)
    sk = QuantileSketch(x.shape[1])
    _feed(sk, x, 8192)
    assert not sk.exact
    got, err = sk.quantiles(Q), sk.value_error(Q)
    exact = np.nanquantile(x, Q, axis=0, method="inverted_cdf")
    inside = np.isfinite(err)
    assert inside[1:-1].all()                           # every interior quantile has a bound
    assert np.all(np.abs(got - exact)[inside] <= err[inside] * (1 + 1e-12))
    # the bound is a useful one: half a bin of twice the first 65,536 values' range
    span = np.nanmax(x[:EXACT_MAX], axis=0) - np.nanmin(x[:EXACT_MAX], axis=0)
    real = [0, 1, 2, 4]
    assert np.all(err[1:-1, real] <= span[real] / sk.bins + 1e-12)
    # whole-number years get unit bins centred on whole numbers: exact
    np.testing.assert_array_equal(got[:, 3], exact[:, 3])
    # extremes come back exactly
    np.testing.assert_array_equal(got[-1], np.nanmax(x, axis=0))


def test_split_between_processes_changes_nothing() -> None:
    rng = np.random.default_rng(9)
    x = _streams(300_000, rng)
    a, b = QuantileSketch(x.shape[1]), QuantileSketch(x.shape[1])
    _feed(a, x, 8192)
    _feed(b, x, 8192)
    np.testing.assert_array_equal(a.quantiles(Q), b.quantiles(Q))


@pytest.mark.parametrize("chunk", [1000, 65_536])
def test_moments_match_numpy(chunk: int) -> None:
    rng = np.random.default_rng(5)
    x = _streams(400_000, rng)
    m = Moments(x.shape[1])
    for a in range(0, x.shape[0], chunk):
        m.update(x[a:a + chunk])
    np.testing.assert_allclose(m.means(), np.nanmean(x, axis=0), rtol=1e-12)
    count = (~np.isnan(x)).sum(axis=0)
    se = np.nanstd(x, axis=0, ddof=1) / np.sqrt(count)
    np.testing.assert_allclose(m.standard_errors(), se, rtol=1e-9)


def test_chunks_counted_apart_and_merged_in_any_order_equal_the_stream() -> None:
    """What a worker sends back (``count``) folded in (``merge``) in any order gives
    the sketch fed chunk by chunk: the same counts, extremes and quantiles."""
    rng = np.random.default_rng(21)
    x = _streams(250_000, rng)
    a, b = QuantileSketch(x.shape[1]), QuantileSketch(x.shape[1])
    head = 2 * 65_536
    _feed(a, x, 8192)
    _feed(b, x[:head], 8192)                       # the exact phase, then the grid
    parts = [b.count(x[i:i + 8192]) for i in range(head, x.shape[0], 8192)]
    for p in reversed(parts):
        b.merge(*p)
    assert b.n == a.n == x.shape[0]
    np.testing.assert_array_equal(a._counts, b._counts)
    np.testing.assert_array_equal(a.quantiles(Q), b.quantiles(Q))


def test_compiled_binning_counts_as_numpy_bincount(monkeypatch) -> None:
    """The compiled loop (runs of equal bins added at once) and the NumPy fallback
    count the same, with a stream that never varies, one with gaps and values off the grid."""
    from tradepact.results import sketch
    if sketch._bin is None:
        pytest.skip("numba is not installed")
    rng = np.random.default_rng(3)
    x = rng.normal(size=(200_000, 4))
    x[:, 1] = 7.25                                  # the same in every draw
    x[rng.random(200_000) < 0.1, 2] = np.nan         # gaps
    x[150_000:, 3] *= 50                             # far off the grid laid over the first draws
    fast = QuantileSketch(4)
    _feed(fast, x, 10_000)
    monkeypatch.setattr(sketch, "_bin", None)
    slow = QuantileSketch(4)
    _feed(slow, x, 10_000)
    np.testing.assert_array_equal(fast._counts, slow._counts)
    np.testing.assert_array_equal(fast._min, slow._min)
    np.testing.assert_array_equal(fast._max, slow._max)
    assert fast._counts[3, 0] > 0 and fast._counts[3, -1] > 0
