r"""Streaming summaries of many draws: quantile sketches and running moments.

A Monte Carlo run of millions of draws cannot keep every draw of every figure
(40 headline figures × 10 M draws is 3.2 GB per scenario, and 3 annual series
× 40 years is 10 GB more). The run feeds each chunk of draws into

* :class:`QuantileSketch`: ``width`` value streams side by side (figures, or
  figure × year cells of a fan chart). While a stream has at most
  ``exact_max`` values it keeps them all, and its quantiles are exactly
  NumPy's. Past that it becomes a **fixed-grid histogram** of ``bins`` equal
  bins per stream, laid over the range of the first values (those of the
  chunks up to the one that takes their number past ``exact_max``, or to
  ``exact_max`` when the caller has said more will follow, ``expected``)
  widened by half that range on each side (a stream whose exact values are
  whole numbers, such as a year, gets bins one unit wide centred on whole
  numbers while they fit). Values below or above the grid are counted apart
  with their minimum and maximum.

  **Error.** For a quantile ``q`` the sketch finds the bin holding the
  ``ceil(q m)``-th smallest of the ``m`` non-NaN values, which is the exact
  inverted-CDF quantile (``numpy.quantile(..., method="inverted_cdf")``), and
  returns the bin's centre: the result is within **half a bin width**
  (:meth:`QuantileSketch.value_error`) of that exact quantile, and within half
  a bin plus the gap to the next value of the interpolated one. If the
  quantile falls below or above the grid (more than a share ``q`` of the
  values outside a range twice as wide as the first ``exact_max`` values'),
  the sketch returns the smallest or largest value seen and reports an
  unbounded error for that stream (``inf`` from ``value_error``); "never"
  (``inf``) stays "never". The 0 and 1 quantiles are the exact minimum and
  maximum.

  The counts do not depend on the order of the chunks: results are the same
  however the draws are split between processes.
* :class:`Moments`: count, mean and sum of squared deviations per figure,
  merged chunk by chunk (Chan, Golub and LeVeque's pairwise update), for the
  mean and its Monte Carlo standard error.

NaN values are left out of a stream's quantiles (as :func:`numpy.nanquantile`
does). The binning is compiled with numba when it is installed (extra
``fast``), else done with :func:`numpy.bincount`.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np

try:
    import numba as _nb
except ImportError:  # pragma: no cover - without the extra 'fast'
    _nb = None

#: Values per stream kept exactly (quantiles identical to NumPy's).
EXACT_MAX = 65_536
#: Bins per stream once past EXACT_MAX: the error is half of (range of the exact values x 2) / BINS.
BINS = 4_096


def _bin_py(x, lo, inv_w, nb, counts, vmin, vmax):  # pragma: no cover - compiled by numba
    """Count ``x`` ``(m, width)`` into ``counts`` ``(width, nb + 2)`` (0: below, nb + 1: above),
    in blocks of draws so that a block stays in cache while each stream's counts are hot.

    A run of values falling in the same bin is added to its count once (a
    figure that does not vary by draw would otherwise make every value wait
    for the previous one's store), and a value equal to the one before it
    skips the rest (same bin, no new extreme)."""
    m, width = x.shape
    for i0 in range(0, m, 256):
        i1 = min(i0 + 256, m)
        for j in range(width):
            lj, wj = lo[j], inv_w[j]
            mn, mx = vmin[j], vmax[j]
            last = -1
            run = 0
            prev = np.nan
            for i in range(i0, i1):
                v = x[i, j]
                if v == prev:
                    run += 1
                    continue
                if v != v:
                    continue
                prev = v
                if v < mn:
                    mn = v
                if v > mx:
                    mx = v
                f = (v - lj) * wj
                if f < 0:
                    b = 0
                elif f >= nb:
                    b = nb + 1
                else:
                    b = int(f) + 1
                if b == last:
                    run += 1
                else:
                    if run > 0:
                        counts[j, last] += run
                    last = b
                    run = 1
            if run > 0:
                counts[j, last] += run
            vmin[j], vmax[j] = mn, mx


def _range_py(x, lo, hi, whole):  # pragma: no cover - compiled by numba
    """Per column of ``x`` ``(m, width)``: smallest and largest finite value, and
    whether every finite value is a whole number (one pass, blocked like ``_bin_py``)."""
    m, width = x.shape
    for j in range(width):
        lo[j] = np.inf
        hi[j] = -np.inf
        whole[j] = True
    for i0 in range(0, m, 256):
        i1 = min(i0 + 256, m)
        for j in range(width):
            a, b, w = lo[j], hi[j], whole[j]
            for i in range(i0, i1):
                v = x[i, j]
                if v - v != 0.0:            # NaN or infinite
                    continue
                if v < a:
                    a = v
                if v > b:
                    b = v
                if w and v != np.floor(v):
                    w = False
            lo[j], hi[j], whole[j] = a, b, w
    for j in range(width):
        if lo[j] > hi[j]:
            lo[j] = np.nan
            hi[j] = np.nan


_bin = _nb.njit(cache=True, nogil=True, error_model="numpy")(_bin_py) if _nb is not None else None
_range = _nb.njit(cache=True, nogil=True, error_model="numpy")(_range_py) if _nb is not None else None


class QuantileSketch:
    """Quantiles of ``width`` streams of values fed in chunks (see the module docstring)."""

    def __init__(self, width: int, bins: int = BINS, exact_max: int = EXACT_MAX,
                 expected: int | None = None) -> None:
        self.width, self.bins, self.exact_max = int(width), int(bins), int(exact_max)
        #: Values the caller will feed in all, if known: past ``exact_max``, the
        #: grid is laid as soon as ``exact_max`` values are in (no copy of them).
        self.expected = None if expected is None else int(expected)
        self.n = 0
        self._exact: list[np.ndarray] | None = []       # chunks (width, m) while exact
        self._lo = self._w = self._counts = None
        self._min = np.full(self.width, np.inf)
        self._max = np.full(self.width, -np.inf)

    # ------------------------------------------------------------ feeding
    def _chunk(self, values: np.ndarray) -> np.ndarray:
        """``values`` as a float ``(m, width)`` array (a chunk of ``m`` draws)."""
        x = np.asarray(values, dtype=float)
        if x.ndim != 2 or x.shape[1] != self.width:
            raise ValueError(f"expected (m, {self.width}) values, got {x.shape}")
        return x

    def update(self, values: np.ndarray) -> None:
        """Add a chunk: ``(m, width)`` values (``m`` draws)."""
        x = self._chunk(values)
        if self._exact is not None:
            n = self.n + x.shape[0]
            will_grid = self.expected is not None and self.expected > self.exact_max
            if n < self.exact_max or (n == self.exact_max and not will_grid):
                self.n += x.shape[0]
                self._exact.append(np.array(x))         # a copy: callers may reuse their buffers
                return
            parts = self._exact + [x]
            self._exact = None
            self._grid(parts)
            self.n = 0
            for part in parts:
                self.merge(*self.count(part))
            return
        self.merge(*self.count(x))

    def _grid(self, parts: list[np.ndarray]) -> None:
        """Bins from the exact phase's values (in ``parts``): their range, widened by half of it each side."""
        if _range is not None:
            lo, hi, whole = np.full(self.width, np.inf), np.full(self.width, -np.inf), np.ones(self.width, np.bool_)
            for part in parts:
                a, b, w = np.empty(self.width), np.empty(self.width), np.empty(self.width, dtype=np.bool_)
                _range(part, a, b, w)
                lo, hi, whole = np.fmin(lo, a), np.fmax(hi, b), whole & w
            lo, hi = np.where(lo > hi, np.nan, lo), np.where(lo > hi, np.nan, hi)
        else:
            x = np.concatenate(parts, axis=0)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                finite = np.where(np.isfinite(x), x, np.nan)
                lo, hi = np.nanmin(finite, axis=0), np.nanmax(finite, axis=0)
            whole = np.all((x == np.floor(x)) | ~np.isfinite(x), axis=0)
        lo, hi = np.nan_to_num(lo, nan=0.0, posinf=0.0, neginf=0.0), np.nan_to_num(hi, nan=0.0, posinf=0.0,
                                                                                  neginf=0.0)
        span = hi - lo
        span = np.where(span > 0, span, np.maximum(np.abs(hi), 1.0) * 1e-6)
        w = 2 * span / self.bins
        start = lo - span / 2
        fits = whole & (2 * span + 1 <= self.bins)
        w = np.where(fits, 1.0, w)
        start = np.where(fits, np.floor(lo - (self.bins - (hi - lo)) / 2) - 0.5, start)
        self._lo, self._w = start, w
        self._counts = np.zeros((self.width, self.bins + 2), dtype=np.int64)

    def count(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """A chunk's ``(counts, minima, maxima, draws)`` on this sketch's grid (once it has
        one), without adding them: what a worker sends back (see :meth:`merge`)."""
        if self._exact is not None:
            raise ValueError("the sketch has no grid yet (it is still exact)")
        x = self._chunk(values)
        counts = np.zeros_like(self._counts)
        vmin, vmax = np.full(self.width, np.inf), np.full(self.width, -np.inf)
        if _bin is not None:
            _bin(x, self._lo, 1.0 / self._w, self.bins, counts, vmin, vmax)
            return counts, vmin, vmax, x.shape[0]
        f = (x - self._lo) * (1.0 / self._w)          # as the compiled loop: the same bin edges
        ok = ~np.isnan(x)
        below, above = ok & (f < 0), ok & (f >= self.bins)
        idx = np.where(below, 0, np.where(above, self.bins + 1, np.floor(np.where(ok, f, 0)) + 1)).astype(np.int64)
        flat = (np.arange(self.width)[None, :] * (self.bins + 2) + idx)[ok]
        counts += np.bincount(flat, minlength=counts.size).reshape(counts.shape)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            vmin = np.fmin(vmin, np.nanmin(np.where(ok, x, np.inf), axis=0))
            vmax = np.fmax(vmax, np.nanmax(np.where(ok, x, -np.inf), axis=0))
        return counts, vmin, vmax, x.shape[0]

    def merge(self, counts: np.ndarray, vmin: np.ndarray, vmax: np.ndarray, draws: int) -> None:
        """Add a chunk's :meth:`count` (integers and extremes: the order of chunks does not matter)."""
        self._counts += counts
        self.n += int(draws)
        np.fmin(self._min, vmin, out=self._min)
        np.fmax(self._max, vmax, out=self._max)

    # ------------------------------------------------------------ reading
    @property
    def exact(self) -> bool:
        """Whether every value is still kept (quantiles are then exact)."""
        return self._exact is not None

    @property
    def nbytes(self) -> int:
        if self._exact is not None:
            return int(sum(p.nbytes for p in self._exact))
        return int(self._counts.nbytes)

    def values(self) -> np.ndarray:
        """Every value, ``(n, width)`` (exact mode only)."""
        if self._exact is None:
            raise ValueError("the sketch has binned its values")
        if not self._exact:
            return np.empty((0, self.width))
        return np.concatenate(self._exact, axis=0) if len(self._exact) > 1 else self._exact[0]

    def _bin_of(self, q: np.ndarray) -> np.ndarray:
        """``(len(q), width)`` index of the bin holding each inverted-CDF quantile."""
        cum = np.cumsum(self._counts, axis=1)
        valid = cum[:, -1]
        rank = np.ceil(np.asarray(q)[:, None] * valid[None, :]).clip(1, None)
        return np.array([[np.searchsorted(cum[j], rank[i, j], side="left") for j in range(self.width)]
                         for i in range(rank.shape[0])])

    def value_error(self, q: Sequence[float]) -> np.ndarray:
        """``(len(q), width)`` bound on |sketch - exact inverted-CDF quantile| (0 while exact)."""
        q = np.asarray(q, dtype=float)
        if self._exact is not None:
            return np.zeros((q.size, self.width))
        b = self._bin_of(q)
        inside = (b >= 1) & (b <= self.bins)
        ends = ((q == 0) | (q == 1))[:, None]
        return np.where(ends, 0.0, np.where(inside, self._w[None, :] / 2, np.inf))

    def quantiles(self, q: Sequence[float], method: str = "linear") -> np.ndarray:
        """``(len(q), width)`` quantiles: exact (NumPy ``method``, NaN left out)
        while exact, else the centre of the bin of the inverted-CDF quantile."""
        q = np.asarray(q, dtype=float)
        if self._exact is not None:
            x = self.values()
            if x.shape[0] == 0:
                return np.full((q.size, self.width), np.nan)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                return np.nanquantile(x, q, axis=0, method=method)
        b = self._bin_of(q)
        centre = self._lo[None, :] + (b - 0.5) * self._w[None, :]
        low = (b == 0) | (q == 0)[:, None]
        high = (b > self.bins) | (q == 1)[:, None]
        out = np.where(low, self._min[None, :], np.where(high, self._max[None, :], centre))
        valid = self._counts.sum(axis=1)[None, :]
        return np.where(valid > 0, out, np.nan)


def _moments_py(x, count, total, m2):  # pragma: no cover - compiled by numba
    """Per column of ``x`` ``(m, width)``: count, sum and sum of squared deviations of the non-NaN values."""
    m, width = x.shape
    for j in range(width):
        c = 0.0
        s = 0.0
        for i in range(m):
            v = x[i, j]
            if v == v:
                c += 1.0
                s += v
        mean = s / c if c > 0 else 0.0
        q = 0.0
        for i in range(m):
            v = x[i, j]
            if v == v:
                q += (v - mean) * (v - mean)
        count[j], total[j], m2[j] = c, s, q


_moments = _nb.njit(cache=True, nogil=True, error_model="numpy")(_moments_py) if _nb is not None else None


class Moments:
    """Count, mean and sum of squared deviations of ``width`` figures, NaN left out."""

    def __init__(self, width: int) -> None:
        self.count = np.zeros(width)
        self.mean = np.zeros(width)
        self.m2 = np.zeros(width)

    def update(self, values: np.ndarray) -> None:
        """Add a chunk of ``(m, width)`` values."""
        self.merge(*self.chunk(values))

    @staticmethod
    def chunk(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A chunk's own ``(count, mean, m2)`` per figure (what a worker sends back)."""
        x = np.asarray(values, dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            if _moments is not None:
                nb, tot, m2b = np.empty(x.shape[1]), np.empty(x.shape[1]), np.empty(x.shape[1])
                _moments(x, nb, tot, m2b)
                mb = np.where(nb > 0, tot / np.maximum(nb, 1), 0.0)
            elif np.isnan(x).any():
                nan = np.isnan(x)
                ok = ~nan
                nb = ok.sum(axis=0).astype(float)
                mb = np.where(nb > 0, np.where(ok, x, 0.0).sum(axis=0) / np.maximum(nb, 1), 0.0)
                m2b = np.where(ok, (x - mb) ** 2, 0.0).sum(axis=0)
            else:
                nb = np.full(x.shape[1], float(x.shape[0]))
                mb = x.sum(axis=0) / max(x.shape[0], 1)
                m2b = ((x - mb) ** 2).sum(axis=0)
        return nb, mb, m2b

    def merge(self, nb: np.ndarray, mb: np.ndarray, m2b: np.ndarray) -> None:
        """Fold in a chunk's :meth:`chunk` (Chan et al.'s pairwise update; chunks in draw order)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            n = self.count + nb
            delta = mb - self.mean
            self.mean = np.where(n > 0, self.mean + delta * nb / np.maximum(n, 1), 0.0)
            self.m2 = self.m2 + m2b + delta ** 2 * self.count * nb / np.maximum(n, 1)
        self.count = n

    def means(self) -> np.ndarray:
        return np.where(self.count > 0, self.mean, np.nan)

    def standard_errors(self) -> np.ndarray:
        """Standard error of each mean (sample standard deviation / sqrt(count))."""
        with np.errstate(invalid="ignore", divide="ignore"):
            sd = np.sqrt(self.m2 / (self.count - 1))
            return np.where(self.count > 1, sd / np.sqrt(self.count), np.nan)


__all__ = ["BINS", "EXACT_MAX", "Moments", "QuantileSketch"]
