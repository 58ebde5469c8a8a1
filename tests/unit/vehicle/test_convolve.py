"""The engine's convolution of issued amounts with per-age kernels, against a direct double sum."""

import numpy as np
import pytest

from tradepact.vehicle.cashflows import _convolve, _powers


def _direct(issued, kernel):
    n = max(issued.shape[0], kernel.shape[0])
    T = issued.shape[1]
    i = np.broadcast_to(issued, (n, T))
    k = np.broadcast_to(kernel, (n, T))
    out = np.zeros((n, T))
    for d in range(n):
        for t in range(T):
            out[d, t] = sum(i[d, s] * k[d, t - s] for s in range(t + 1))
    return out


@pytest.mark.parametrize("rows_issued, rows_kernel", [(1, 1), (1, 5), (5, 1), (5, 5)])
def test_convolve_matches_the_double_sum(rows_issued, rows_kernel):
    rng = np.random.default_rng(rows_issued * 10 + rows_kernel)
    T = 12
    issued = rng.random((rows_issued, T)) * (rng.random((rows_issued, T)) < 0.4)   # a few years move cash
    kernel = rng.random((rows_kernel, T))
    kernel[:, 7:] = 0.0                                                          # receipts stop at a tenor
    got = _convolve(issued, kernel)
    assert got.shape == (max(rows_issued, rows_kernel), T)
    np.testing.assert_allclose(got, _direct(issued, kernel), rtol=1e-13, atol=1e-15)


def test_powers_by_cumulative_product():
    q = np.array([[0.9], [0.5], [1.0]])
    np.testing.assert_allclose(_powers(q, 6), q ** np.arange(6)[None, :], rtol=1e-14)
    assert _powers(np.array([[0.8]]), 4).shape == (1, 4)
