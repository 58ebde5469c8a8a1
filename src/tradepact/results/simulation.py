"""Results of the Monte Carlo study: :class:`SimulationResult` and :class:`SimulationSet`.

Headline figures per draw, kept annual series, quantiles (empirical where a
figure can be "never"), fan-chart bands and probabilities, with the JSON
contract of ``tradepact simulate --json``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from ..core.errors import TradepactError
from ..core.lazy import LazyModule
from ..core.parameters import ParameterUse
from ..core.units import CURRENCIES
from .base import Result, ResultSet, provenance_frame
from .sketch import Moments, QuantileSketch

pd = LazyModule("pandas")

#: Quantiles of the fan charts.
FAN_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


#: Labels of figures outside the assessment's headline table (``results.HEADLINE``).
PAYOFF_LABELS: dict[str, tuple[str, str]] = {
    "investor_surplus_usd_bn": ("Investor payoff above reservation value", "USD bn"),
    "host_surplus_usd_bn": ("Host payoff above reservation value", "USD bn"),
    **{f"peak_annual_cash_outflow_{c.lower()}_tn": (f"Peak annual cash outflow in {n}", f"{c} tn")
       for c, n in CURRENCIES.items()},
    **{f"total_cash_outflow_{c.lower()}_tn": (f"Total cash outflow in {n} (undiscounted)", f"{c} tn")
       for c, n in CURRENCIES.items()},
}


def label_of(key: str) -> tuple[str, str]:
    """(label, unit) of a simulated figure."""
    from .assessment import HEADLINE
    if key in HEADLINE:
        return HEADLINE[key][0], HEADLINE[key][1]
    return PAYOFF_LABELS.get(key, (key.replace("_", " "), ""))
#: Year-valued figures: a missing value means "not within the horizon" and sorts last.
_NEVER_LAST = {"recoup_year", "profit_split_switch_year"}


def _quantile(key: str, x: np.ndarray, q: Sequence[float]) -> np.ndarray:
    x = np.asarray(x, float)
    # "Never" (inf) and "no IRR" (-inf) sort last and first; the empirical quantile
    # (no interpolation) keeps them, where interpolating between two infinities gives nan.
    if key in _NEVER_LAST:
        return np.quantile(np.where(np.isnan(x), np.inf, x), q, method="inverted_cdf")
    if key == "investor_irr":            # no IRR: receipts never cover outflows
        return np.quantile(np.where(np.isnan(x), -np.inf, x), q, method="inverted_cdf")
    if np.isnan(x).all():
        return np.full(len(q), np.nan)
    return np.nanquantile(x, q)


def _ordered(key: str, x: np.ndarray) -> np.ndarray:
    """Values as the quantiles order them: "never" last (inf), "no IRR" first (-inf)."""
    if key in _NEVER_LAST:
        return np.where(np.isnan(x), np.inf, x)
    if key == "investor_irr":
        return np.where(np.isnan(x), -np.inf, x)
    return x


def _ordered_rows(keys: Sequence[str], rows: np.ndarray) -> np.ndarray:
    """``rows`` ``(figures, m)`` as the quantiles order them (:func:`_ordered`), in place."""
    for i, k in enumerate(keys):
        if k in _NEVER_LAST or k == "investor_irr":
            rows[i] = _ordered(k, rows[i])
    return rows


def probability_counts(h: dict[str, np.ndarray], over_any: np.ndarray) -> dict[str, int]:
    """Draws meeting each event of :attr:`SimulationResult.probabilities`."""
    inv_ok = h["investor_surplus_usd_bn"] >= 0
    host_ok = h["host_surplus_usd_bn"] >= 0
    return {
        "investor_recoups_within_horizon": int(np.isfinite(h["recoup_year"]).sum()),
        "equity_recouped_within_horizon": int(np.isfinite(h["profit_split_switch_year"]).sum()),
        "any_year_over_capacity": int(np.asarray(over_any).sum()),
        "investor_npv_negative": int((h["investor_npv_usd_bn"] < 0).sum()),
        "investor_better_off_than_no_deal": int(inv_ok.sum()),
        "host_better_off_than_no_deal": int(host_ok.sum()),
        "both_better_off": int((inv_ok & host_ok).sum()),
    }


class StreamSummary:
    """What a simulation keeps of draws it does not keep, fed chunk by chunk in
    draw order: moments and event counts of every headline figure, quantile
    sketches of the headline figures (unless the draws are kept) and of the
    fan-chart series by year, one sketch per series (see :mod:`tradepact.results.sketch`
    for the error). ``expected``: the number of draws to come, if known (the
    sketches then lay their grids without copying the first draws)."""

    def __init__(self, keys: Sequence[str], fan_keys: Sequence[str], n_years: int, sketch_headline: bool,
                 expected: int | None = None) -> None:
        self.keys, self.fan_keys, self.n_years = tuple(keys), tuple(fan_keys), int(n_years)
        self.n = 0
        self.moments = Moments(len(self.keys))
        self.counts: dict[str, int] = {}
        self.sketch = QuantileSketch(len(self.keys), expected=expected) if sketch_headline else None
        self.fan = {k: QuantileSketch(self.n_years, expected=expected) for k in self.fan_keys}

    @property
    def gridded(self) -> bool:
        """Whether every sketch has its grid: from then on a chunk can be summarised
        apart (:meth:`chunk_summary`, on a worker) and folded in here (:meth:`merge`)."""
        return (self.sketch is None or not self.sketch.exact) and all(not sk.exact for sk in self.fan.values())

    def _rows(self, headline: dict[str, np.ndarray]) -> np.ndarray:
        return np.stack([np.asarray(headline[k], float) for k in self.keys])      # (figures, m), a copy

    def update(self, headline: dict[str, np.ndarray], over_any: np.ndarray,
               fan: dict[str, np.ndarray]) -> None:
        """Add a chunk: headline ``{figure: (m,)}``, ``(m,)`` flags and fan series
        ``{series: (m, n_years)}``."""
        if self.gridded:
            self.merge(self.chunk_summary(headline, over_any, fan))
            return
        rows = self._rows(headline)
        self._fold(rows.shape[1], Moments.chunk(rows.T), probability_counts(headline, over_any))
        if self.sketch is not None:
            self.sketch.update(_ordered_rows(self.keys, rows).T)
        for k, sk in self.fan.items():
            sk.update(fan[k])

    def chunk_summary(self, headline: dict[str, np.ndarray], over_any: np.ndarray,
                      fan: dict[str, np.ndarray]) -> dict[str, Any]:
        """What :meth:`update` adds for a chunk, on this summary's grids, without
        changing the summary: moments, event counts and bin counts (small)."""
        rows = self._rows(headline)
        moments = Moments.chunk(rows.T)      # before the rows are reordered for the sketch
        sketch = self.sketch.count(_ordered_rows(self.keys, rows).T) if self.sketch is not None else None
        return {"n": rows.shape[1], "moments": moments, "counts": probability_counts(headline, over_any),
                "sketch": sketch, "fan": {k: sk.count(fan[k]) for k, sk in self.fan.items()}}

    def merge(self, part: dict[str, Any]) -> None:
        """Fold in a :meth:`chunk_summary` (chunks in draw order: the moments' sums depend on it)."""
        self._fold(part["n"], part["moments"], part["counts"])
        if self.sketch is not None:
            self.sketch.merge(*part["sketch"])
        for k, sk in self.fan.items():
            sk.merge(*part["fan"][k])

    def _fold(self, n: int, moments: tuple[np.ndarray, ...], counts: dict[str, int]) -> None:
        """Add a chunk's draws, moments and event counts (both ways of feeding a chunk)."""
        self.n += n
        self.moments.merge(*moments)
        for k, c in counts.items():
            self.counts[k] = self.counts.get(k, 0) + c

    def quantiles(self, keys: Sequence[str], q: Sequence[float]) -> dict[str, np.ndarray]:
        if self.sketch is None:
            raise KeyError("the headline figures were kept per draw")
        lin = self.sketch.quantiles(q, "linear")
        inv = self.sketch.quantiles(q, "inverted_cdf") if self.sketch.exact else lin
        return {k: (inv if (k in _NEVER_LAST or k == "investor_irr") else lin)[:, self.keys.index(k)]
                for k in keys}

    def fan_quantiles(self, key: str, q: Sequence[float]) -> np.ndarray:
        """``(n_years, len(q))`` quantiles of a fan series by year."""
        return self.fan[key].quantiles(q).T

    def errors(self, q: Sequence[float]) -> dict[str, Any]:
        """Bounds on the quantiles' errors (0 while exact; see :mod:`.sketch`)."""
        out: dict[str, Any] = {}
        if self.sketch is not None:
            e = self.sketch.value_error(q).max(axis=0)
            out["headline"] = {k: _json(v) for k, v in zip(self.keys, e)}
        if self.fan:
            out["annual"] = {k: _json(sk.value_error(FAN_QUANTILES).max()) for k, sk in self.fan.items()}
        return out


def _json(v: float) -> float | None:
    v = float(v)
    return None if not np.isfinite(v) else v


def _qname(q: float) -> str:
    return f"p{q * 100:g}"


@dataclass(frozen=True)
class SimulationResult(Result):
    """The outcome of :func:`simulate` for one scenario.

    ``headline``: ``{figure: (n_draws,)}``; ``annual``: ``{series: (n_draws,
    n_years)}`` for the kept series; ``inputs``: ``{parameter path: (n_draws,)}``.
    """

    name: str
    title: str
    source: str
    as_of: _dt.date
    n_draws: int
    seed: int
    years: np.ndarray
    uncertainty: Any    # tradepact.resolve.uncertainty.UncertaintyModel
    headline: dict[str, np.ndarray] = field(repr=False)
    annual: dict[str, np.ndarray] = field(repr=False)
    inputs: dict[str, np.ndarray] = field(repr=False)
    over_capacity_any: np.ndarray = field(repr=False)
    sources: tuple[ParameterUse, ...] = field(repr=False)
    relief_source: str = ""
    stress: str = "hard"
    chunk_size: int = 8192
    #: Running summary (moments, counts, sketches); per-draw arrays are kept only
    #: when ``headline`` is not empty (see :func:`tradepact.studies.simulate`).
    stream: StreamSummary | None = field(default=None, repr=False)

    @property
    def figures(self) -> tuple[str, ...]:
        """Names of the headline figures."""
        return tuple(self.headline) if self.headline else (self.stream.keys if self.stream else ())

    @property
    def draws_kept(self) -> bool:
        """Whether every draw's inputs and figures are kept (quantiles then exact)."""
        return bool(self.headline) or self.n_draws == 0

    @property
    def fan_keys(self) -> tuple[str, ...]:
        """Annual series with fan-chart quantiles: kept ones, then streamed ones."""
        streamed = self.stream.fan_keys if self.stream is not None else ()
        return tuple(self.annual) + tuple(k for k in streamed if k not in self.annual)

    def quantiles(self, q: Sequence[float] = (0.05, 0.5, 0.95),
                  keys: Iterable[str] | None = None) -> pd.DataFrame:
        """Quantiles of headline figures (rows) — ``inf`` years mean "never".
        Exact when the draws are kept, else from the run's sketch (error bounds:
        :meth:`quantile_errors`)."""
        keys = list(keys) if keys is not None else list(self.figures)
        if self.headline:
            data = {k: _quantile(k, self.headline[k], q) for k in keys}
        else:
            data = self.stream.quantiles(keys, q)
        return pd.DataFrame(data, index=[_qname(x) for x in q]).T

    def quantile_errors(self, q: Sequence[float] = (0.05, 0.5, 0.95)) -> dict[str, Any]:
        """Largest error bound of the sketched quantiles, by figure and by fan
        series (``{}`` when every quantile is exact)."""
        if self.stream is None:
            return {}
        errs = self.stream.errors(q)
        if self.headline:
            errs.pop("headline", None)
        if errs.get("annual") is not None:
            errs["annual"] = {k: v for k, v in errs["annual"].items() if k not in self.annual}
        return {k: v for k, v in errs.items() if v}

    @cached_property
    def mean(self) -> dict[str, float]:
        if not self.headline:
            return dict(zip(self.stream.keys, map(float, self.stream.moments.means())))
        return {k: float(np.nanmean(v)) if not np.isnan(v).all() else float("nan")
                for k, v in self.headline.items()}

    def standard_error(self, key: str) -> float:
        """Monte Carlo standard error of the mean of a headline figure."""
        if not self.headline:
            return float(self.stream.moments.standard_errors()[self.stream.keys.index(key)])
        x = self.headline[key][~np.isnan(self.headline[key])]
        return float(x.std(ddof=1) / np.sqrt(x.size)) if x.size > 1 else float("nan")

    @cached_property
    def probabilities(self) -> dict[str, float]:
        counts = (probability_counts(self.headline, self.over_capacity_any) if self.headline
                  else self.stream.counts)
        return {k: c / self.n_draws for k, c in counts.items()}

    def probability_standard_errors(self) -> dict[str, float]:
        return {k: float(np.sqrt(p * (1 - p) / self.n_draws)) for k, p in self.probabilities.items()}

    def fan(self, key: str, q: Sequence[float] = FAN_QUANTILES) -> pd.DataFrame:
        """Quantiles of an annual series by year (rows: years; columns: p5 … p95)."""
        if key in self.annual:
            band = np.quantile(self.annual[key], q, axis=0)
        elif self.stream is not None and key in self.stream.fan_keys:
            band = self.stream.fan_quantiles(key, q).T
        else:
            raise KeyError(f"{key!r} was neither kept nor streamed; available: {', '.join(self.fan_keys)}")
        return pd.DataFrame(band.T, index=pd.Index(self.years.astype(int), name="year"),
                            columns=[_qname(x) for x in q])

    SCHEMA = "simulation/1"

    def frame(self) -> pd.DataFrame:
        """One row per draw: the drawn inputs and the headline figures."""
        if not self.draws_kept:
            raise TradepactError(
                f"{self.name}: the {self.n_draws:,} draws were summarised, not kept",
                expected="simulate(..., keep_draws=True) for a table of every draw")
        data = {"draw": np.arange(self.n_draws)}
        data.update(self.inputs)
        data.update(self.headline)
        return pd.DataFrame(data)

    def to_dict(self, *, fans: bool = True) -> dict[str, Any]:
        """The JSON contract of ``tradepact simulate --json`` (one scenario)."""
        qs = self.quantiles()
        out: dict[str, Any] = {
            "name": self.name, "title": self.title, "as_of": self.as_of.isoformat(),
            "n_draws": self.n_draws, "seed": self.seed, "chunk_size": self.chunk_size,
            "stress": self.stress, "tariff_relief": self.relief_source,
            "uncertainty_source": self.uncertainty.source,
            "uncertain_parameters": [{"path": i.path, "distribution": i.describe(), "unit": i.unit,
                                      "point_value": i.point_value, "used": i.used}
                                     for i in self.uncertainty.inputs],
            "quantiles": {k: {c: _json(qs.loc[k, c]) for c in qs.columns} for k in qs.index},
            "mean": {k: _json(v) for k, v in self.mean.items()},
            "probabilities": self.probabilities,
            "probability_standard_errors": self.probability_standard_errors(),
        }
        errors = self.quantile_errors()
        if errors:
            out["quantile_error_bounds"] = errors
        if fans:
            out["annual_quantiles"] = {
                k: {"year": [int(y) for y in self.years],
                    **{c: [_json(x) for x in col] for c, col in self.fan(k).items()}}
                for k in self.fan_keys}
        return out

    def compare(self, q: Sequence[float] = (0.05, 0.5, 0.95)) -> pd.DataFrame:
        """Quantiles of every headline figure, with labels and units."""
        out = self.quantiles(q)
        out.insert(0, "unit", [label_of(k)[1] for k in out.index])
        out.insert(0, "label", [label_of(k)[0] for k in out.index])
        return out

    def provenance(self) -> pd.DataFrame:
        return provenance_frame(self.sources, scenario=self.name)

    def summary(self) -> str:
        lines = [f"{self.name}: {self.n_draws:,} draws, seed {self.seed}"]
        lines.append(self.quantiles().to_string(float_format=lambda v: f"{v:,.2f}"))
        lines += [f"P({k}) = {v:.3f}" for k, v in self.probabilities.items()]
        return "\n".join(lines)



@dataclass(frozen=True)
class SimulationSet(ResultSet[SimulationResult]):
    """Several scenarios simulated with the same seed (common random numbers).
    ``assessment`` is the point assessment of the same scenarios, when the study made it."""

    SCHEMA = "simulations/1"
    results: tuple[SimulationResult, ...]
    assessment: Any = None

    @property
    def items(self) -> tuple[SimulationResult, ...]:
        return self.results

    def to_dict(self, *, fans: bool = True) -> dict[str, Any]:
        from .. import __version__
        return {"schema": self.SCHEMA, "tradepact_version": __version__,
                "simulations": [r.to_dict(fans=fans) for r in self.results]}

    def frame(self) -> pd.DataFrame:
        """Every draw of every scenario (tidy: scenario × draw)."""
        return pd.concat([r.frame().assign(scenario=r.name) for r in self.results], ignore_index=True)

    def compare(self, key: str = "deal_npv_investor_usd_bn", q: Sequence[float] = (0.05, 0.5, 0.95)) -> pd.DataFrame:
        """Quantiles of one figure, one column per scenario."""
        return pd.DataFrame({r.name: r.quantiles(q, [key]).iloc[0] for r in self.results})

    def provenance(self) -> pd.DataFrame:
        return pd.concat([r.provenance() for r in self.results], ignore_index=True)


