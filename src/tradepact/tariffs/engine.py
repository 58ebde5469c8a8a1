"""The tariff engine: measures in force on a date → rates by authority → duties and ETRs.

Rates are computed once on the grid of *distinct* products × *distinct*
partners of the input (a few thousand × a few hundred cells), never per row,
then gathered onto the rows by integer index. The output is the tracker's
wide schema: one ``rate_<authority>`` column per authority
(:data:`tradepact.tariffs.measures.AUTHORITIES`), ``total_rate``, ``duty``.

Every query names a date; a date outside the covered range, an HS code that
is not in the column-1 schedule or a partner that is not in
``policy/codes/partners.csv`` is an error, never a zero.

Why this module is longer than 400 lines: the grid, the one-cell explanation
(which reads the grid's trace) and the row tables share one engine's caches
and scope masks; split, they would pass those private structures between modules.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import polars as pl

from ..core.dates import parse_date
from ..core.errors import Location, with_value
from ..core.references import Reference
from ..io.frame import ImportFrame, polars_to_pandas
from ..io.hts import Column1Schedule
from .measures import (AUTHORITIES, AUTHORITY_LABELS, BASE_KINDS, MeasureSet, TariffError,
                       TariffMeasure, TariffSystem)
from .scope import partner_mask
from .stacking import (BORDER_PROGRAMS, METALS, RULE_SOURCES, STACKING_RULES, VEHICLES, WOOD, Slot,
                       Stacked, apply_stacking)

RATE_COLUMNS = tuple(f"rate_{a}" for a in AUTHORITIES)


@dataclass(frozen=True)
class RateGrid:
    """Rates by authority on the grid ``products × partners`` on one date."""

    products: np.ndarray
    partners: np.ndarray
    on: _dt.date
    rates: dict[str, np.ndarray]
    total: np.ndarray
    s232_program: np.ndarray
    s232_programs: tuple[str, ...]
    regime: str
    method: str
    trace: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pl.DataFrame:
        """Long frame product × partner with the wide rate schema."""
        p, c = np.meshgrid(np.arange(len(self.products)), np.arange(len(self.partners)), indexing="ij")
        progs = np.array(("",) + self.s232_programs, dtype=object)
        return pl.DataFrame({
            "product": self.products[p.ravel()], "partner": self.partners[c.ravel()],
            **{f"rate_{a}": self.rates[a].ravel() for a in AUTHORITIES},
            "total_rate": self.total.ravel(),
            "s232_program": progs[self.s232_program.ravel() + 1].astype(str),
        })


@dataclass(frozen=True)
class RateExplanation:
    """One product × partner × date: the total, each authority's part and the measures behind it."""

    partner: str
    hs: str
    on: _dt.date
    total_rate: float
    by_authority: dict[str, float]
    measures: list[dict[str, Any]]
    references: list[Reference]
    stacking_rules: dict[str, str]
    regime: str
    method: str
    basis: str = "exact"
    lines: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self, *, lines: bool = False) -> dict[str, Any]:
        out = {
            "partner": self.partner, "hs": self.hs, "date": self.on.isoformat(),
            "regime": self.regime, "method": self.method, "basis": self.basis, "n_lines": len(self.lines),
            "total_rate": round(self.total_rate, 10),
            "by_authority": {k: round(v, 10) for k, v in self.by_authority.items()},
            "measures": self.measures,
            "stacking_rules_applied": self.stacking_rules,
            "references": [r.model_dump(mode="json", exclude_none=True) for r in self.references],
        }
        if lines:
            out["lines"] = [{**x, "weight": round(x["weight"], 10), "total_rate": round(x["total_rate"], 10)}
                            for x in self.lines]
        return out


@dataclass(frozen=True)
class TariffResult:
    """Row-level duties in the wide ``rate_<authority>`` schema, with ETR views."""

    frame: pl.DataFrame
    on: _dt.date
    regime: str
    method: str
    warnings: tuple[str, ...] = ()

    def etr(self, by: str | Sequence[str] = "partner") -> pl.DataFrame:
        """Effective tariff rate (duties / customs value) and duties by the given columns."""
        keys = [by] if isinstance(by, str) else list(by)
        for k in keys:
            if k not in self.frame.columns:
                raise with_value("cannot group by this column", location=Location(field="by"), value=k,
                                 expected="one of " + ", ".join(self.frame.columns), cls=TariffError)
        return etr_table(self.frame, keys)

    def to_pandas(self) -> Any:
        return polars_to_pandas(self.frame)


def etr_table(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    rate_aggs = [(pl.col(c) * pl.col("customs_value")).sum().alias(c.replace("rate_", "duty_"))
                 for c in RATE_COLUMNS if c in frame.columns]
    out = frame.group_by(keys).agg(pl.col("customs_value").sum(), pl.col("duty").sum(), *rate_aggs)
    return out.with_columns(
        pl.when(pl.col("customs_value") > 0).then(pl.col("duty") / pl.col("customs_value"))
        .otherwise(None).alias("etr")).sort(keys)


class TariffEngine:
    """Applies a regime of measures to products × partners on a date.

    Parameters
    ----------
    system : the measures, regimes and code tables
    schedule : the column-1 schedule giving general and special rates for every
        product code the engine will see
    (``tradepact.TariffEngine`` builds both from the shipped files.)
    regime : a regime name of the system, or a ready :class:`MeasureSet`
    method : stacking method (``"legal"`` or ``"additive"``), see :mod:`.stacking`
    """

    def __init__(self, system: TariffSystem, schedule: Column1Schedule,
                 *, regime: str | MeasureSet | None = None, method: str = "legal") -> None:
        self.system = system
        self.schedule = schedule
        self.measures = regime if isinstance(regime, MeasureSet) else self.system.regime(regime)
        self.method = method
        self._col1_cache: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        if method not in ("legal", "additive"):
            raise with_value("unknown stacking method", location=Location(field="method"),
                             value=method, expected="legal or additive", cls=TariffError)

    # ------------------------------------------------------------ checks
    def check_date(self, on: _dt.date | str) -> _dt.date:
        d = parse_date(on) if not isinstance(on, _dt.date) else on
        cov = self.system.coverage
        if not cov.contains(d):
            last = (cov.stop - _dt.timedelta(days=1)).isoformat() if cov.stop else "open"
            raise with_value("date is outside the range the tariff measures cover",
                             location=Location(field="date"), value=d.isoformat(),
                             expected=f"a date from {cov.start.isoformat()} to {last}", cls=TariffError)
        return d

    def check_partners(self, partners: Iterable[str]) -> None:
        known = self.system.partners.codes
        bad = sorted(set(partners) - known)
        if bad:
            self.system.partners.check(bad[0], where=Location(field="partner"))

    @cached_property
    def _active_programs(self) -> list[str]:
        return sorted({m.fta_program for m in self.measures if m.kind == "preference" and m.fta_program})

    # ------------------------------------------------------------ rate grid
    def grid(self, products: Sequence[str], partners: Sequence[str], on: _dt.date | str, *,
             trace: bool = False) -> RateGrid:
        """Rates by authority for every product × partner on ``on``."""
        d = self.check_date(on)
        prods = np.asarray(list(products), dtype=str)
        parts = np.asarray(list(partners), dtype=str)
        self.check_partners(parts.tolist())
        shape = (len(prods), len(parts))
        active = [m for m in self.measures.active(d)]
        general = self._col1(prods, None, d)[0] if len(prods) else np.zeros(0)
        margins: dict[str, np.ndarray] = {}
        for prog in {m.fta_program for m in active if m.kind == "preference"}:
            margins[prog] = self._col1(prods, prog, d)[1]

        groups = self.system.groups
        pmask_cache: dict[Any, tuple[np.ndarray, np.ndarray]] = {}
        cmask_cache: dict[Any, np.ndarray] = {}

        def masks(m: TariffMeasure) -> tuple[np.ndarray, np.ndarray]:
            pk = m.product_scope
            if pk not in pmask_cache:
                sh = groups.scope_shares(pk, prods, d)
                idx = np.flatnonzero(sh > 0)
                pmask_cache[pk] = (idx, sh[idx])
            ck = m.partner_scope
            if ck not in cmask_cache:
                cmask_cache[ck] = np.flatnonzero(partner_mask(ck, parts, self.system.partners))
            return pmask_cache[pk][0], cmask_cache[ck]

        def product_share(m: TariffMeasure) -> np.ndarray:
            """Share of each product's trade the measure's product scope covers, as a column."""
            return pmask_cache[m.product_scope][1][:, None]

        slots: dict[tuple[str, str], Slot] = {}
        winners: dict[tuple[str, str], np.ndarray] = {}
        ids = [m.id for m in active]
        tr: dict[str, Any] = {"winners": {}, "modifiers": []} if trace else {}

        def slot(key: tuple[str, str]) -> Slot:
            if key not in slots:
                slots[key] = Slot(np.zeros(shape), np.zeros(shape))
                if trace:   # which measure won each cell: only the explanation needs it
                    winners[key] = np.full(shape, -1, dtype=np.int32)
            return slots[key]

        base = sorted((m for m in active if m.kind in BASE_KINDS), key=lambda m: m.rank())
        self._check_ties(base, masks)
        col1 = np.broadcast_to(general[:, None], shape).copy() if len(prods) else np.zeros(shape)
        # column 1 and FTA slots first: floors and caps are measured against them
        for phase in (("mfn", "fta"), None):
            for m in base:
                in_phase = m.authority in ("mfn", "fta")
                if (phase is not None) != in_phase:
                    continue
                pi, ci = masks(m)
                if len(pi) == 0 or len(ci) == 0:
                    continue
                s = slot(m.slot)
                ix = _block(pi, ci, shape)
                if m.kind == "schedule":
                    value = np.broadcast_to(general[pi][:, None], (len(pi), len(ci)))
                elif m.kind == "preference":
                    value = np.broadcast_to(margins[m.fta_program][pi][:, None], (len(pi), len(ci)))
                elif m.kind == "additive":
                    value = m.rate
                else:  # floor: all-in against column 1
                    value = np.maximum(0.0, m.rate - col1[ix])
                s.lvl[ix] = value
                s.cov[ix] = m.share * product_share(m)
                if trace:
                    winners[m.slot][ix] = ids.index(m.id)
            if phase is not None:
                col1 = sum((slots[k].rate for k in slots if k[0] in ("mfn", "fta")),
                           np.zeros(shape))
        mods = sorted((m for m in active if m.kind in ("cap", "exemption")),
                      key=lambda m: (m.kind != "cap", m.rank()))
        for m in mods:
            pi, ci = masks(m)
            if len(pi) == 0 or len(ci) == 0:
                continue
            ix = _block(pi, ci, shape)
            targets = [k for k in slots if k[0] == m.authority and (m.program is None or k[1] == m.program)]
            for k in targets:
                s = slots[k]
                if m.kind == "cap":
                    s.lvl[ix] = np.minimum(s.lvl[ix], np.maximum(0.0, m.rate - col1[ix]))
                else:
                    s.cov[ix] = s.cov[ix] * (1.0 - m.share * product_share(m))
            if trace and targets:
                hit = np.zeros(shape, dtype=bool)
                hit[ix] = True
                tr["modifiers"].append((m.id, hit))
        stacked: Stacked = apply_stacking(slots, shape, method=self.method)
        if trace:
            tr["ids"] = ids
            tr["winners"] = {f"{k[0]}:{k[1]}": w for k, w in winners.items()}
            tr["slots"] = {f"{k[0]}:{k[1]}": (s.lvl, s.cov) for k, s in slots.items()}
        return RateGrid(prods, parts, d, stacked.rates, stacked.total, stacked.s232_program,
                        stacked.s232_programs, self.measures.regime, self.method, tr)

    def _col1(self, prods: np.ndarray, program: str | None, on: _dt.date) -> tuple[np.ndarray, np.ndarray]:
        """Column-1 general rates of these codes, in their order, in the schedule in force
        on ``on``, and (with ``program``) the FTA margin special - general (cached: grids
        on many dates of one HTS revision reuse them)."""
        sched = self.schedule.at(on)
        key = (prods.tobytes(), prods.dtype.str, program, id(sched))
        if key not in self._col1_cache:
            if len(self._col1_cache) > 32:
                self._col1_cache.clear()
            col = sched.rates(prods.tolist(), program=program)
            order = {p: i for i, p in enumerate(col["product"].to_list())}
            idx = np.array([order[p] for p in prods.tolist()], dtype=np.int64)
            general = col["general_rate"].to_numpy()[idx] if len(prods) else np.zeros(0)
            margin = (col["special_rate"].to_numpy()[idx] - general) if program is not None else general * 0.0
            self._col1_cache[key] = (general, margin)
        return self._col1_cache[key]

    def _check_ties(self, base: list[TariffMeasure], masks: Any) -> None:
        """Two base measures of one slot with equal rank must not overlap."""
        seen: dict[tuple, list[TariffMeasure]] = {}
        for m in base:
            seen.setdefault((m.slot, m.rank()), []).append(m)
        for group in seen.values():
            for i, a in enumerate(group):
                for b in group[i + 1:]:
                    pa, ca = masks(a)
                    pb, cb = masks(b)
                    # partners first: most pairs of a slot name different partners, and
                    # the partner index arrays are short (the product ones are not)
                    if np.intersect1d(ca, cb, assume_unique=True).size and \
                            np.intersect1d(pa, pb, assume_unique=True).size:
                        raise with_value(
                            "two measures of the same slot and rank overlap",
                            location=self.measures.where.get(a.id, Location(field=a.id)),
                            value=f"{a.id} / {b.id}",
                            expected="different priorities, scopes or dates (set 'priority')",
                            cls=TariffError)

    # ------------------------------------------------------------ one cell
    def leaves(self, hs: str, on: _dt.date) -> list[str]:
        """The HTS leaf lines a code stands for on ``on``: itself (or the HTS8 line
        above an HTS10 code that has no statistical suffix), or every line under a
        shorter code. A code with no line is an error naming the nearest codes."""
        h = hs.strip().replace(".", "")
        if not h.isdigit() or len(h) not in (2, 4, 6, 8, 10):
            raise with_value("malformed HS code", location=Location(field="hs"), value=hs,
                             expected="2 to 10 digits, e.g. 870323", cls=TariffError)
        codes = self.schedule.at(on).lines["code"]
        under = codes.filter(codes.str.starts_with(h)).sort().to_list()
        if under:
            return under
        if len(h) == 10 and h[:8] in set(codes.filter(codes.str.len_chars() == 8).to_list()):
            return [h[:8]]
        near = nearest_codes(h, codes.to_list())
        raise with_value("HS code not in the tariff schedule in force", location=Location(field="hs"), value=hs,
                         expected=f"an existing HTS code on {on.isoformat()}; nearest: {', '.join(near)}",
                         cls=TariffError)

    def explain(self, partner: str, hs: str, on: _dt.date | str, *,
                weights: Mapping[str, float] | None = None) -> RateExplanation:
        """The rate of one HS code from one partner on one date, with its sources.

        An HTS10 line (or an HTS8 line without statistical suffixes) is exact. A
        shorter code is the mean over the lines under it weighted by ``weights``
        (line -> value, e.g. the partner's 2024 imports; lines without a weight
        count 0), or the simple mean when no line has a weight; ``lines`` gives
        each line's rate and weight. It never silently takes one line.
        """
        p = partner.strip().upper()
        h = hs.strip().replace(".", "")
        d = self.check_date(on)
        leaves = self.leaves(h, d)
        g = self.grid(leaves, [p], d, trace=True)
        w = np.array([float((weights or {}).get(c, 0.0)) for c in leaves])
        basis = "exact" if len(leaves) == 1 else "trade_weighted"
        if w.sum() <= 0:
            w = np.ones(len(leaves))
            basis = basis if len(leaves) == 1 else "simple_mean"
        w = w / w.sum()
        by = {a: float(w @ g.rates[a][:, 0]) for a in AUTHORITIES}
        total = float(w @ g.total[:, 0])
        tr = g.trace
        used: dict[str, float] = {}
        for key, win in tr["winners"].items():
            for i, idx in enumerate(win[:, 0]):
                if idx >= 0:
                    used[tr["ids"][idx]] = used.get(tr["ids"][idx], 0.0) + w[i]
        for mid, hit in tr["modifiers"]:
            share = float(w @ hit[:, 0])
            if share > 0:
                used[mid] = used.get(mid, 0.0) + share
        rows, refs = [], []
        for m in self.measures:
            if m.id not in used:
                continue
            rows.append({"id": m.id, "title": m.title, "authority": m.authority,
                         "program": m.program, "kind": m.kind, "rate": m.rate, "share": m.share,
                         "legal_effective": m.legal_effective.isoformat(),
                         "ends": m.ends.isoformat() if m.ends else None, "status": m.status,
                         "contributes": by.get(m.authority, 0.0) != 0.0,
                         "weight": round(min(used[m.id], 1.0), 10), "cite": list(m.cite)})
            for r in self.measures.references(m):
                if r not in refs:
                    refs.append(r)
        covered = {k for k, (lvl, cov) in tr["slots"].items() if float(w @ cov[:, 0]) > 0}
        s232 = {k.split(":")[1] for k in covered if k.startswith("s232:")}
        authorities = {k.split(":")[0] for k in covered}     # S4 and S5 apply to every program of theirs
        border = any(f"ieepa_fent:{b}" in covered for b in BORDER_PROGRAMS)
        applied = []
        if g.method == "legal":
            if len(s232) > 1:
                applied.append("S1")
            if border and s232 & set(METALS):
                applied.append("S2")
            if border and s232 & set(VEHICLES + WOOD):
                applied.append("S3")
            if s232 and "ieepa_recip" in authorities:
                applied.append("S4")
            if s232 and "s122" in authorities:
                applied.append("S5")
        for rule in applied:
            for key in RULE_SOURCES[rule]:
                ref = self.measures.sources[key]
                if ref not in refs:
                    refs.append(ref)
        lines = [{"hs": c, "weight": float(wi), "total_rate": float(t)}
                 for c, wi, t in zip(leaves, w, g.total[:, 0])]
        return RateExplanation(p, h, g.on, total, by, rows, refs, {r: STACKING_RULES[r] for r in applied},
                               g.regime, g.method, basis, lines)

    # ------------------------------------------------------------ tables
    def _encode(self, df: pl.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        prods = df["product"].unique().sort()
        parts = df["partner"].unique().sort()
        pi = df["product"].cast(pl.Enum(prods.to_list())).to_physical().to_numpy()
        ci = df["partner"].cast(pl.Enum(parts.to_list())).to_physical().to_numpy()
        return prods.to_numpy().astype(str), parts.to_numpy().astype(str), pi, ci

    def apply(self, imports: ImportFrame | pl.DataFrame, on: _dt.date | str, *,
              sectors: bool = True) -> TariffResult:
        """Duties on every row of an import table at the rates in force on ``on``."""
        df = imports.data if isinstance(imports, ImportFrame) else imports
        prods, parts, pi, ci = self._encode(df)
        g = self.grid(prods, parts, on)
        flat = pi.astype(np.int64) * len(parts) + ci
        del pi, ci
        out = df.with_columns(
            *[pl.Series(f"rate_{a}", g.rates[a].ravel().take(flat)) for a in AUTHORITIES],
            pl.Series("total_rate", g.total.ravel().take(flat)),
            _labels(["", *g.s232_programs], g.s232_program.ravel().take(flat).astype(np.int64) + 1,
                    "s232_program"),
        ).with_columns((pl.col("customs_value") * pl.col("total_rate")).alias("duty"))
        if sectors:
            sec = self.system.groups.sector_of(prods).astype(str)
            out = out.with_columns(_labels(sec.tolist(), flat // len(parts), "sector"))
        warnings = tuple(f"{c} is only partly covered by group {grp}"
                         for c, grp in self.system.groups.partial_overlaps(
                             prods.tolist(), [grp for m in self.measures.active(g.on)
                                              for grp in m.product_scope.groups]))
        return TariffResult(out, g.on, g.regime, g.method, warnings)

    def etr(self, imports: ImportFrame | pl.DataFrame, on: _dt.date | str, *,
            by: str = "partner") -> pl.DataFrame:
        """Duties and effective tariff rate by ``partner``, ``sector`` or ``product``,
        computed without materialising the per-authority row columns."""
        df = imports.data if isinstance(imports, ImportFrame) else imports
        prods, parts, pi, ci = self._encode(df)
        g = self.grid(prods, parts, on)
        values = grid_values(pi.astype(np.int64) * len(parts) + ci, df["customs_value"].to_numpy(), g.total.shape)
        if by == "partner":
            keys = parts
            v, dsum = duty_sums(g.total, values, by="partner")
        elif by in ("product", "sector"):
            v, dsum = duty_sums(g.total, values, by="product")
            keys = prods
            if by == "sector":
                keys, inv = np.unique(self.system.groups.sector_of(prods).astype(str), return_inverse=True)
                v, dsum = (np.bincount(inv, weights=x, minlength=len(keys)) for x in (v, dsum))
        else:
            raise with_value("cannot aggregate by this key", location=Location(field="by"), value=by,
                             expected="partner, sector or product", cls=TariffError)
        with np.errstate(invalid="ignore", divide="ignore"):
            etr = np.where(v > 0, dsum / np.where(v > 0, v, 1.0), np.nan)
        return pl.DataFrame({by: keys, "customs_value": v, "duty": dsum, "etr": etr}).sort(by)

    # ------------------------------------------------------------ time
    def breakpoints(self, start: _dt.date, stop: _dt.date, *,
                    partners: Sequence[str] | None = None) -> list[_dt.date]:
        """Dates in ``[start, stop)`` where a rate can change, plus ``start``: every start
        and end of a measure of this regime in force (only those that can apply to
        ``partners``, if given), every date a product list it names gains or loses a
        line, and every HTS revision (column 1 changes). One clock: legal dates."""
        pts = {start}
        parts = None if partners is None else np.asarray(sorted(set(partners)), dtype=str)
        groups = self.system.groups
        for m in self.measures:
            if not m.in_effect:
                continue
            if parts is not None and not partner_mask(m.partner_scope, parts, self.system.partners).any():
                continue
            pts.add(m.legal_effective)
            if m.ends is not None:
                pts.add(m.ends)
            for g in m.product_scope.groups + m.product_scope.except_groups:
                pts.update(groups.change_dates(g))
        pts.update(self.schedule.revision_dates())
        return sorted(d for d in pts if start <= d < stop)

    def intervals(self, start: _dt.date, stop: _dt.date, *, cuts: Iterable[_dt.date] = (),
                  partners: Sequence[str] | None = None) -> list[tuple[_dt.date, _dt.date]]:
        """Half-open pieces ``[a, b)`` tiling ``[start, stop)``, cut at every breakpoint of
        this regime (for ``partners``, if given) and at any extra ``cuts`` (e.g. where
        the trade weights change). Rates are constant within a piece, so one
        :meth:`grid` at ``a`` prices all of it."""
        if not start < stop:
            raise with_value("the period is empty", location=Location(field="stop"),
                             value=f"{start.isoformat()} to {stop.isoformat()}",
                             expected="a stop date after the start date", cls=TariffError)
        pts = sorted(set(self.breakpoints(start, stop, partners=partners)) | {c for c in cuts if start < c < stop})
        return list(zip(pts, pts[1:] + [stop]))


def _block(pi: np.ndarray, ci: np.ndarray, shape: tuple[int, int]) -> tuple[Any, Any]:
    """``np.ix_(pi, ci)`` for sorted unique indices, with an axis taken whole as a slice
    (a view instead of a gather/scatter of the whole grid: same cells, same order)."""
    rows = slice(None) if len(pi) == shape[0] else pi
    cols = slice(None) if len(ci) == shape[1] else ci
    if isinstance(rows, slice) or isinstance(cols, slice):
        return rows, cols
    return np.ix_(pi, ci)


def grid_values(flat: np.ndarray, value: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Customs value on the product × partner grid: each row's value added to its cell
    (``flat`` = product index × partners + partner index); 0 where there is no trade."""
    return np.bincount(flat, weights=value, minlength=shape[0] * shape[1]).reshape(shape)


def duty_sums(total: np.ndarray, values: np.ndarray, *, by: str = "partner") -> tuple[np.ndarray, np.ndarray]:
    """Customs value and duty by partner (grid column) or product (row): duty is
    Σ value × total rate over the cells. Dense over the grid, no gather of rows:
    one streaming pass, which is why the engine's aggregation is cheap."""
    axis, sub = (0, "pc,pc->c") if by == "partner" else (1, "pc,pc->p")
    return values.sum(axis=axis), np.einsum(sub, total, values)


def _labels(labels: list[str], idx: np.ndarray, name: str) -> pl.Series:
    """A categorical column from per-row indices into ``labels`` (a u32 gather, no strings copied)."""
    cats = list(dict.fromkeys(labels))
    lab = pl.Series(name, labels, dtype=pl.Enum(cats))
    return lab.gather(pl.Series(idx.astype(np.uint32)))


def authority_label(a: str) -> str:
    return AUTHORITY_LABELS.get(a, a)


def nearest_codes(code: str, codes: Sequence[str], n: int = 5) -> list[str]:
    """Up to ``n`` existing codes nearest ``code``: those sharing its longest prefix,
    closest in number."""
    best: list[str] = []
    for k in range(len(code), 1, -1):
        best = [c for c in codes if c.startswith(code[:k])]
        if best:
            break
    target = int(code.ljust(10, "0"))
    best.sort(key=lambda c: abs(int(c.ljust(10, "0")) - target))
    return best[:n] or sorted(codes)[:n]
