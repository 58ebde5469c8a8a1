"""Benchmark: duties and ETR on a >= 10 M-row product x partner x year table.

Compares, in one run,

* **engine**   ``TariffEngine.etr`` — resolve every measure in force on the date,
  stack the authorities, gather rates onto the rows, sum duties and ETR by partner;
* **floor**    a hand-written DuckDB join-and-aggregate of the same rows against a
  ready-made (product, partner) -> total rate table (no rate resolution at all);
* **baseline** a naive pandas row-wise ``DataFrame.apply`` that looks each row's rate
  up in a dict and multiplies — timed on a 200k-row slice and scaled linearly
  to the full table (said so in the output);

and reports the ratios and the process's peak resident memory (ru_maxrss).
Targets: engine <= 2 x floor, >= 20 x faster than the baseline, <= 2 GB.

Products are the HS6 codes of the real 2025 HTS when ``../shared/data`` is
present (its HTS is then the column-1 schedule), otherwise synthetic HS6
codes with a synthetic schedule. Partners are ~200 ISO codes, years 2015-2024,
values lognormal (seeded).
"""

from __future__ import annotations

import datetime as dt
import gc
import resource
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
SHARED_HTS = ROOT.parent / "shared" / "data" / "raw" / "us-hts-2025" / "hts_2025_basic_edition.csv"
N_PARTNERS = 200
YEARS = list(range(2015, 2025))
BASELINE_ROWS = 200_000
ON = dt.date(2025, 12, 1)


def _peak_mb() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r / 1024.0 if sys.platform != "darwin" else r / 1024.0 / 1024.0


def _schedule_and_products():
    from tradepact.io import Column1Schedule

    if SHARED_HTS.exists():
        sched = Column1Schedule.from_hts_csv(SHARED_HTS)
        hs6 = sorted({c[:6] for c in sched.leaf_codes()})
        return sched, hs6, "real HTS 2025 (../shared/data)"
    rng = np.random.default_rng(7)
    hs6 = sorted({f"{c:02d}{h:02d}{s:02d}" for c, h, s in zip(rng.integers(1, 98, 6000),
                                                                rng.integers(1, 99, 6000),
                                                                rng.integers(10, 99, 6000))})
    rows = pl.DataFrame({"hts_number": [f"{c[:4]}.{c[4:6]}.00" for c in hs6],
                         "general": [f"{r:.1f}%" for r in rng.uniform(0, 12, len(hs6))],
                         "special": ["Free (KR,S)"] * len(hs6)})
    return Column1Schedule.from_text_rows(rows, source="synthetic"), hs6, "synthetic HS6 schedule"


def build_table(hs6: list[str], partners: list[str]) -> pl.DataFrame:
    rng = np.random.default_rng(42)
    t = (pl.DataFrame({"product": hs6})
         .join(pl.DataFrame({"partner": partners}), how="cross")
         .join(pl.DataFrame({"period": pl.Series(YEARS, dtype=pl.Int32)}), how="cross"))
    return t.with_columns(pl.Series("customs_value", rng.lognormal(13.0, 2.0, t.height)))


def main() -> dict:
    import duckdb
    import pandas as pd

    from tradepact.tariffs import TariffEngine, default_tariff_system

    system = default_tariff_system()
    schedule, hs6, origin = _schedule_and_products()
    partners = [p for p in sorted(system.partners.codes)
                if system.partners.partners.filter(pl.col("iso3") == p)["kind"][0] == "country"
                and p != "USA"][:N_PARTNERS]
    table = build_table(hs6, partners)
    n = table.height
    engine = TariffEngine(system, schedule)
    gc.collect()

    # engine: resolve measures, stack, gather, aggregate (best of 3)
    engine_times = []
    for _ in range(3):
        t0 = time.perf_counter()
        etr = engine.etr(table, ON, by="partner")
        engine_times.append(time.perf_counter() - t0)
    t_engine = min(engine_times)
    t0 = time.perf_counter()
    wide = engine.apply(table, ON, sectors=False)
    t_wide = time.perf_counter() - t0
    del wide
    gc.collect()

    # the rates the floor is given for free
    grid = engine.grid(hs6, partners, ON)
    rates = pl.DataFrame({"product": np.repeat(np.asarray(hs6), len(partners)),
                          "partner": np.tile(np.asarray(partners), len(hs6)),
                          "total_rate": grid.total.ravel()})
    con = duckdb.connect()
    con.execute("PRAGMA threads=2")
    con.register("trade", table.to_arrow())
    con.register("rates", rates.to_arrow())
    sql = """SELECT t.partner, SUM(t.customs_value) AS v, SUM(t.customs_value * r.total_rate) AS duty,
                    SUM(t.customs_value * r.total_rate) / SUM(t.customs_value) AS etr
             FROM trade t JOIN rates r ON t.product = r.product AND t.partner = r.partner
             GROUP BY t.partner"""
    floor_times = []
    for _ in range(3):
        t0 = time.perf_counter()
        floor = con.sql(sql).pl()
        floor_times.append(time.perf_counter() - t0)
    t_floor = min(floor_times)

    # baseline: naive row-wise pandas apply on a slice, scaled linearly
    lookup = dict(zip(zip(rates["product"].to_list(), rates["partner"].to_list()),
                      rates["total_rate"].to_list()))
    sl = table.slice(0, BASELINE_ROWS).to_pandas()
    t0 = time.perf_counter()
    duty = sl.apply(lambda r: r["customs_value"] * lookup[(r["product"], r["partner"])], axis=1)
    _ = pd.DataFrame({"partner": sl["partner"], "duty": duty}).groupby("partner")["duty"].sum()
    t_base_slice = time.perf_counter() - t0
    t_baseline = t_base_slice * n / BASELINE_ROWS

    # same answer from engine and floor
    chk = etr.join(floor.select("partner", pl.col("etr").alias("etr_floor")), on="partner")
    max_diff = float((chk["etr"] - chk["etr_floor"]).abs().max())
    peak = _peak_mb()
    out = {
        "rows": n, "products": len(hs6), "partners": len(partners), "years": len(YEARS),
        "products_from": origin, "date": ON.isoformat(),
        "engine_etr_s": t_engine, "engine_wide_apply_s": t_wide, "duckdb_floor_s": t_floor,
        "pandas_baseline_s_scaled": t_baseline, "pandas_baseline_slice_rows": BASELINE_ROWS,
        "pandas_baseline_slice_s": t_base_slice,
        "ratio_engine_to_floor": t_engine / t_floor,
        "speedup_vs_baseline": t_baseline / t_engine,
        "peak_rss_mb": peak, "max_etr_difference_engine_vs_floor": max_diff,
        "targets_met": bool(t_engine <= 2 * t_floor and t_baseline / t_engine >= 20 and peak <= 2048),
    }
    print(f"bench_tariffs: {n:,} rows ({len(hs6):,} HS6 x {len(partners)} partners x {len(YEARS)} years; "
          f"{origin}); rates on {ON}")
    print(f"  {'step':<44}{'seconds':>10}")
    print(f"  {'engine: measures -> rates -> duties/ETR':<44}{t_engine:>10.3f}")
    print(f"  {'engine: full wide table (rate_<authority>)':<44}{t_wide:>10.3f}")
    print(f"  {'floor: DuckDB join + aggregate (rates given)':<44}{t_floor:>10.3f}")
    print(f"  {'baseline: pandas row-wise apply (scaled)':<44}{t_baseline:>10.1f}"
          f"   (timed on {BASELINE_ROWS:,} rows: {t_base_slice:.2f}s, scaled linearly)")
    print(f"  engine / floor = {out['ratio_engine_to_floor']:.2f} (target <= 2); "
          f"baseline / engine = {out['speedup_vs_baseline']:.0f}x (target >= 20); "
          f"peak RSS = {peak:,.0f} MB (target <= 2048); max ETR diff vs floor = {max_diff:.1e}")
    return out


if __name__ == "__main__":
    main()
