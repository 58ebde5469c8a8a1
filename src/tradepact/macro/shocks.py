r"""Joint distributions of uncertain inputs, and reproducible draws from them.

A :class:`ShockSpec` is a list of named marginal distributions tied together by
a Gaussian copula with correlation matrix :math:`C`. A draw is made in three
steps, all vectorised over the draw axis:

.. math::

    z = \varepsilon L^\top,\quad \varepsilon \sim N(0, I_k),\quad LL^\top = C;
    \qquad u_j = \Phi(z_j);\qquad x_j = F_j^{-1}(u_j),

so each :math:`x_j` has exactly the marginal :math:`F_j` and the rank
dependence of the Gaussian copula (for two normal marginals the Pearson
correlation is :math:`C_{ij}` itself).

Marginals (:class:`Normal`, :class:`LogNormal`, :class:`Uniform`,
:class:`Triangular`, :class:`Empirical`) are given by their natural
parameters: a normal and a lognormal by the **mean and standard deviation of
the variable itself** (for the lognormal,
:math:`\sigma^2 = \ln(1 + \mathrm{sd}^2/\mathrm{mean}^2)`,
:math:`\mu = \ln \mathrm{mean} - \sigma^2/2`). A normal or lognormal may be
truncated to ``[low, high]``; it is then sampled exactly by the inverse CDF on
:math:`[F(\mathrm{low}), F(\mathrm{high})]`.

Reproducibility
---------------
Draws come from ``numpy.random.Generator(PCG64)`` seeded by a
:class:`numpy.random.SeedSequence`. The draw axis is cut into fixed blocks of
:data:`BLOCK` draws and block ``b`` uses the independent child stream
``SeedSequence(seed, spawn_key=(b,))`` (the ``b``-th child of
``SeedSequence(seed).spawn``). Draws ``[start, stop)`` are therefore the same
whichever process computes them and however the work is chunked: a run on a
Dask cluster equals the single-process run for the same seed.

The module reads no files; empirical samples are passed in as arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

import numpy as np
from scipy import special

#: Draws per random stream block (the unit of reproducibility).
BLOCK = 4096


def _ndtr(x: np.ndarray | float) -> np.ndarray:
    return special.ndtr(x)


def _ndtri(u: np.ndarray | float) -> np.ndarray:
    return special.ndtri(u)


# ---------------------------------------------------------------- marginals
@dataclass(frozen=True)
class Normal:
    """Normal with the given mean and standard deviation, optionally truncated."""

    mean: float
    sd: float
    low: float = -np.inf
    high: float = np.inf
    family = "normal"

    def __post_init__(self) -> None:
        _check_scale(self.sd, "sd")
        _check_bounds(self.low, self.high)

    def cdf(self, x: np.ndarray | float) -> np.ndarray:
        return _ndtr((np.asarray(x, float) - self.mean) / self.sd)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        if np.isinf(self.low) and np.isinf(self.high):
            return self.mean + self.sd * _ndtri(u)
        lo, hi = self.cdf(self.low), self.cdf(self.high)
        return np.clip(self.mean + self.sd * _ndtri(lo + u * (hi - lo)), self.low, self.high)

    def from_standard_normal(self, z: np.ndarray) -> np.ndarray:
        """Exact transform of standard normal scores (no round trip through Φ)."""
        if np.isinf(self.low) and np.isinf(self.high):
            return self.mean + self.sd * z
        return self.ppf(_ndtr(z))

    @property
    def support(self) -> tuple[float, float]:
        return (self.low, self.high)

    def untruncated_mass_outside(self, lo: float, hi: float) -> float:
        """Probability the untruncated distribution puts outside ``[lo, hi]``."""
        return float(self.cdf(lo) + (1 - self.cdf(hi)))

    def truncated(self, low: float, high: float) -> "Normal":
        return Normal(self.mean, self.sd, max(low, self.low), min(high, self.high))

    @property
    def expected(self) -> float:
        """Mean of the (possibly truncated) distribution."""
        a, b = (self.low - self.mean) / self.sd, (self.high - self.mean) / self.sd
        z = _ndtr(b) - _ndtr(a)
        pdf = lambda t: np.exp(-0.5 * t * t) / np.sqrt(2 * np.pi) if np.isfinite(t) else 0.0  # noqa: E731
        return float(self.mean + self.sd * (pdf(a) - pdf(b)) / z)


@dataclass(frozen=True)
class LogNormal:
    """Lognormal with the given mean and standard deviation of the variable itself."""

    mean: float
    sd: float
    low: float = 0.0
    high: float = np.inf
    family = "lognormal"

    def __post_init__(self) -> None:
        if not self.mean > 0:
            raise ValueError(f"a lognormal needs a mean above 0 (found {self.mean!r})")
        _check_scale(self.sd, "sd")
        _check_bounds(max(self.low, 0.0), self.high)

    @property
    def sigma(self) -> float:
        return float(np.sqrt(np.log1p((self.sd / self.mean) ** 2)))

    @property
    def mu(self) -> float:
        return float(np.log(self.mean) - self.sigma ** 2 / 2)

    def cdf(self, x: np.ndarray | float) -> np.ndarray:
        x = np.asarray(x, float)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(x > 0, _ndtr((np.log(np.where(x > 0, x, 1.0)) - self.mu) / self.sigma), 0.0)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        lo, hi = max(self.low, 0.0), self.high
        if lo <= 0 and np.isinf(hi):
            return np.exp(self.mu + self.sigma * _ndtri(u))
        a, b = self.cdf(lo), self.cdf(hi)
        return np.clip(np.exp(self.mu + self.sigma * _ndtri(a + u * (b - a))), lo, hi)

    def from_standard_normal(self, z: np.ndarray) -> np.ndarray:
        if self.low <= 0 and np.isinf(self.high):
            return np.exp(self.mu + self.sigma * z)
        return self.ppf(_ndtr(z))

    @property
    def support(self) -> tuple[float, float]:
        return (max(self.low, 0.0), self.high)

    def untruncated_mass_outside(self, lo: float, hi: float) -> float:
        return float(self.cdf(lo) + (1 - self.cdf(hi)))

    def truncated(self, low: float, high: float) -> "LogNormal":
        return LogNormal(self.mean, self.sd, max(low, self.low), min(high, self.high))


class _Bounded:
    """A distribution on ``[low, high]`` drawn by inverting its CDF."""

    low: float
    high: float

    def _check_bounds(self) -> None:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low:g}) must be below high ({self.high:g})")

    def ppf(self, u: np.ndarray) -> np.ndarray:  # pragma: no cover - each family defines it
        raise NotImplementedError

    def from_standard_normal(self, z: np.ndarray) -> np.ndarray:
        return self.ppf(_ndtr(z))

    @property
    def support(self) -> tuple[float, float]:
        return (self.low, self.high)


@dataclass(frozen=True)
class Uniform(_Bounded):
    low: float
    high: float
    family = "uniform"

    def __post_init__(self) -> None:
        self._check_bounds()

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return self.low + u * (self.high - self.low)

    @property
    def expected(self) -> float:
        return (self.low + self.high) / 2


@dataclass(frozen=True)
class Triangular(_Bounded):
    low: float
    mode: float
    high: float
    family = "triangular"

    def __post_init__(self) -> None:
        self._check_bounds()
        if not self.low <= self.mode <= self.high:
            raise ValueError(f"the mode ({self.mode:g}) must lie from low ({self.low:g}) "
                             f"to high ({self.high:g})")

    def ppf(self, u: np.ndarray) -> np.ndarray:
        a, c, b = self.low, self.mode, self.high
        fc = (c - a) / (b - a)
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1 - u) * (b - a) * (b - c))
        return np.where(u < fc, left, right)

    @property
    def expected(self) -> float:
        return (self.low + self.mode + self.high) / 3


@dataclass(frozen=True)
class Empirical:
    """Resampling of observed values: the inverse of their empirical CDF.

    ``ppf(u) = sorted_values[floor(u * m)]``; with independent uniforms this is
    the bootstrap (each value drawn with probability ``1/m``).
    """

    values: np.ndarray = field(repr=False)
    family = "empirical"

    def __post_init__(self) -> None:
        v = np.sort(np.asarray(self.values, float).reshape(-1))
        if v.size < 2:
            raise ValueError("an empirical distribution needs at least 2 values")
        if not np.all(np.isfinite(v)):
            raise ValueError("empirical values must be finite numbers")
        object.__setattr__(self, "values", v)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        m = self.values.size
        idx = np.minimum((np.asarray(u) * m).astype(np.int64), m - 1)
        return self.values[idx]

    def from_standard_normal(self, z: np.ndarray) -> np.ndarray:
        return self.ppf(_ndtr(z))

    @property
    def support(self) -> tuple[float, float]:
        return (float(self.values[0]), float(self.values[-1]))

    @property
    def expected(self) -> float:
        return float(self.values.mean())


Marginal = Union[Normal, LogNormal, Uniform, Triangular, Empirical]


def _check_scale(v: float, name: str) -> None:
    if not (np.isfinite(v) and v > 0):
        raise ValueError(f"{name} must be a positive number (found {v!r})")


def _check_bounds(lo: float, hi: float) -> None:
    if not lo < hi:
        raise ValueError(f"the truncation bounds are reversed or empty ({lo:g} to {hi:g})")


# ---------------------------------------------------------------- joint
def correlation_cholesky(c: np.ndarray) -> np.ndarray:
    """Cholesky factor of a correlation matrix; ``ValueError`` if not positive definite."""
    c = np.asarray(c, float)
    if c.ndim != 2 or c.shape[0] != c.shape[1]:
        raise ValueError("a correlation matrix must be square")
    if not np.allclose(c, c.T):
        raise ValueError("a correlation matrix must be symmetric")
    if not np.allclose(np.diag(c), 1.0):
        raise ValueError("a correlation matrix has ones on its diagonal")
    try:
        return np.linalg.cholesky(c)
    except np.linalg.LinAlgError:
        w = np.linalg.eigvalsh(c)
        raise ValueError(
            f"the correlations are not jointly possible (the matrix is not positive definite; "
            f"smallest eigenvalue {w.min():.3g})") from None


@dataclass(frozen=True)
class ShockSpec:
    """Named marginals joined by a Gaussian copula.

    ``paths`` name the inputs (parameter paths), ``marginals`` their
    distributions, ``correlation`` the copula's correlation matrix
    (identity if ``None``).
    """

    paths: tuple[str, ...]
    marginals: tuple[Marginal, ...]
    correlation: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if len(self.paths) != len(self.marginals):
            raise ValueError("one marginal per path")
        if len(set(self.paths)) != len(self.paths):
            raise ValueError("paths repeat")
        k = len(self.paths)
        c = np.eye(k) if self.correlation is None else np.asarray(self.correlation, float)
        if c.shape != (k, k):
            raise ValueError(f"the correlation matrix must be {k} x {k}")
        object.__setattr__(self, "correlation", c)
        object.__setattr__(self, "_chol", correlation_cholesky(c))

    @property
    def k(self) -> int:
        return len(self.paths)

    @property
    def cholesky(self) -> np.ndarray:
        return self._chol  # type: ignore[attr-defined]

    def standard_normals(self, seed: int, start: int, stop: int) -> np.ndarray:
        """Independent N(0,1) scores for draws ``[start, stop)``, shape ``(stop-start, k)``.

        Block ``b`` (draws ``[b*BLOCK, (b+1)*BLOCK)``) always comes from the
        stream ``SeedSequence(seed, spawn_key=(b,))``, so any chunking gives
        the same numbers.
        """
        if not 0 <= start <= stop:
            raise ValueError("need 0 <= start <= stop")
        k = self.k
        out = np.empty((stop - start, k))
        if stop == start:
            return out
        for b in range(start // BLOCK, (stop - 1) // BLOCK + 1):
            gen = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(b,))))
            block = gen.standard_normal((BLOCK, k))
            lo, hi = max(start, b * BLOCK), min(stop, (b + 1) * BLOCK)
            out[lo - start:hi - start] = block[lo - b * BLOCK:hi - b * BLOCK]
        return out

    def sample(self, seed: int, start: int, stop: int) -> dict[str, np.ndarray]:
        """Draws ``[start, stop)`` of every input, ``{path: (stop-start,) array}``."""
        eps = self.standard_normals(seed, start, stop)
        # z = eps L^T, summed term by term in a fixed order rather than by BLAS,
        # whose order (and so the last bit) can depend on its number of threads.
        # Zero terms are skipped (inputs drawn independently of the others cost one product).
        chol = self.cholesky
        z = np.empty_like(eps)
        for j in range(self.k):
            acc = None
            for i in range(j + 1):
                if chol[j, i] != 0.0 or (acc is None and i == j):
                    term = eps[:, i] * chol[j, i]
                    acc = term if acc is None else acc + term
            z[:, j] = acc
        return {p: np.ascontiguousarray(m.from_standard_normal(z[:, j]))
                for j, (p, m) in enumerate(zip(self.paths, self.marginals))}

    def draw(self, n: int, seed: int) -> dict[str, np.ndarray]:
        """The first ``n`` draws."""
        return self.sample(seed, 0, n)


__all__ = ["BLOCK", "Empirical", "LogNormal", "Marginal", "Normal", "ShockSpec", "Triangular",
           "Uniform"]
