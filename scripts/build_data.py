"""Build the shipped, derived data of tradepact from the raw public files (``make data``).

Reads ``../shared/data/raw/`` (each folder there has a SOURCE.md) and writes compact
Parquet into ``src/tradepact/data/``:

* ``hts.parquet`` / ``hts_special.parquet`` — the HTS leaf lines and their special
  (preferential) rates over time, run-length encoded over the HTS editions;
* ``imports_2024.parquet`` — Census 2024 imports for consumption and calculated duty,
  HS10 × partner (51 partner files);
* ``product_lists.parquet`` — every product list a tariff measure needs (names in LISTS.md);
* ``product_shares.parquet`` — USMCA claim shares, metal content shares, applicability;
* ``concordance.parquet`` — HS10 → NAICS6 / GTAP;
* ``fx_monthly.parquet`` — monthly exchange rates, local currency per USD;
* ``manifest.json`` — per output: rows, bytes, sha256, and every raw input with its sha256.

The build is deterministic: rows are sorted, compression is fixed (zstd level 9, one row
group), Parquet metadata carries no timestamp and the manifest no build date, so a rebuild
from the same raw files gives byte-identical outputs.

This module is longer than ~400 lines on purpose: it is the one place that knows the
layout of every raw file, and splitting it would scatter that knowledge.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import hashlib
import json
import re
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import polars as pl
import yaml

from tradepact.io.hts import parse_rate, parse_special

REPO = Path(__file__).resolve().parents[1]
DEFAULT_RAW = REPO.parent / "shared" / "data" / "raw"
DEFAULT_OUT = REPO / "src" / "tradepact" / "data"

TRT = "tariff-rate-tracker"
RES = f"{TRT}/resources"
LATER = f"{TRT}/later-versions"
KN = "klearnow-tariff-rules/tariff-rules/data"
DESC_CAP = 200
D = dt.date.fromisoformat


class Build:
    """Reads raw files relative to ``raw`` and remembers every file it read (for the manifest)."""

    def __init__(self, raw: Path) -> None:
        self.raw = raw
        self.used: dict[str, tuple[str, int]] = {}

    def path(self, rel: str) -> Path:
        p = self.raw / rel
        if rel not in self.used:
            data = p.read_bytes()
            self.used[rel] = (hashlib.sha256(data).hexdigest(), len(data))
        return p

    def csv_rows(self, rel: str) -> list[dict[str, str]]:
        """Rows of a CSV, skipping ``#`` comment lines; a UTF-8 BOM is dropped."""
        with self.path(rel).open(encoding="utf-8-sig", newline="") as fh:
            lines = [ln for ln in fh if not ln.startswith("#") and ln.strip()]
        return list(csv.DictReader(lines))

    def json(self, rel: str) -> object:
        p = self.path(rel)
        opener = gzip.open if rel.endswith(".gz") else open
        with opener(p, "rt", encoding="utf-8") as fh:
            return json.load(fh)

    def yaml(self, rel: str) -> dict:
        return yaml.safe_load(self.path(rel).read_text(encoding="utf-8"))


def digits(code: str) -> str:
    return re.sub(r"[^0-9]", "", code or "")


def na_date(text: str | None) -> dt.date | None:
    t = (text or "").strip()
    return None if t in ("", "NA", "null", "None") else D(t)


# ---------------------------------------------------------------- HTS over time
_TAG = re.compile(r"<[^>]+>")


@lru_cache(maxsize=None)
def _clean(text: str | None) -> str:
    if not text:
        return ""
    if "<" in text:
        text = _TAG.sub("", text)
    return " ".join(text.split())


_OTHER = re.compile(r"others?(\s*\(\d+\))?:?", re.I)


def _is_other(text: str) -> bool:
    """``Other``, ``Other:`` or a textile category line such as ``Other (433)``."""
    return bool(_OTHER.fullmatch(text.strip()))


def _describe(own: str, parents: list[str]) -> str:
    """The line's text; an "Other" line is prefixed by its three nearest non-"Other" parents."""
    own = own.rstrip(":").strip()
    if not _is_other(own):
        return own if len(own) <= DESC_CAP else own[: DESC_CAP - 1] + "…"
    named = [p.rstrip(":").strip() for p in reversed(parents) if p and not _is_other(p)][:3]
    text = ": ".join([*reversed(named), own])
    return text if len(text) <= DESC_CAP else "…" + text[-(DESC_CAP - 1):]


def leaf_lines(records: Iterable[dict[str, str]]) -> list[tuple[str, str, str, str, str]]:
    """Leaf lines of one HTS edition: ``(code, description, general, special, column2)``.

    Leaves are HTS10 statistical lines and HTS8 lines without HTS10 children; chapter 99
    is left out. An HTS10 line without its own general rate takes its HTS8 line's rates.
    Parents come from the indent column (the most recent line of lower indent).
    """
    stack: list[tuple[int, str]] = []
    cand: list[tuple[str, str, list[str], str, str, str]] = []
    for r in records:
        code = digits(r["htsno"])
        indent = int(r["indent"] or 0)
        desc = _clean(r["description"])
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if len(code) in (8, 10) and not code.startswith("99"):
            cand.append((code, desc, [d for _, d in stack], _clean(r["general"]),
                         _clean(r["special"]), _clean(r["other"])))
        stack.append((indent, desc))
    has_child = {c[:8] for c, *_ in cand if len(c) == 10}
    rates8 = {c: (g, s, o) for c, _, _, g, s, o in cand if len(c) == 8}
    out: dict[str, tuple[str, str, str, str, str]] = {}
    for code, desc, parents, g, s, o in cand:
        if code in out or (len(code) == 8 and code in has_child):
            continue
        if len(code) == 10 and not g:
            g, s, o = rates8.get(code[:8], ("", "", ""))
        out[code] = (code, _describe(desc, parents), g, s, o)
    return list(out.values())


def hts_editions(b: Build) -> list[tuple[str, dt.date, list[dict[str, str]]]]:
    """The HTS editions in force order: ``(label, HTS effective date, records)``.

    The 2025 basic edition (USITC CSV) from 2025-01-01, then every JSON archive in
    ``tariff-rate-tracker/data/hts_archives/`` that ``config/revision_dates.csv`` dates,
    at its ``effective_date`` (the HTS effective date, not ``policy_effective_date``).
    """
    eds: list[tuple[str, dt.date, list[dict[str, str]]]] = []
    rows = b.csv_rows("us-hts-2025/hts_2025_basic_edition.csv")
    eds.append(("2025_basic", D("2025-01-01"), [
        {"htsno": r["HTS Number"], "indent": r["Indent"], "description": r["Description"],
         "general": r["General Rate of Duty"], "special": r["Special Rate of Duty"],
         "other": r["Column 2 Rate of Duty"]} for r in rows]))
    dates = {r["revision"]: D(r["effective_date"])
             for r in b.csv_rows(f"{TRT}/config/revision_dates.csv")}
    archive_dir = b.raw / TRT / "data" / "hts_archives"
    for p in sorted(archive_dir.glob("hts_*.json.gz")):
        label = p.name.removeprefix("hts_").removesuffix(".json.gz")  # 2025_rev_32, 2026_rev_1
        key = label.removeprefix("2025_")
        if key not in dates:       # 2026_rev_8: excluded by the tracker (editorial only)
            continue
        recs = b.json(f"{TRT}/data/hts_archives/{p.name}")
        eds.append((label, dates[key], [
            {k: ("" if r.get(k) is None else str(r.get(k)))
             for k in ("htsno", "indent", "description", "general", "special", "other")}
            for r in recs]))
    eds.sort(key=lambda e: e[1])
    return eds


def _run_length(frame: pl.DataFrame, key: list[str], attrs: list[str],
                dates: list[dt.date], carry: tuple[str, ...] = ()) -> pl.DataFrame:
    """Merge consecutive editions where ``attrs`` are unchanged into one interval.

    ``frame`` has a column ``ed`` (edition index). An interval starts where the key is
    absent from the previous edition or an attribute changed; ``valid_until`` is the date
    of the edition after its last one (exclusive), null when it runs to the last edition.
    ``carry`` columns do not split intervals; they take the run's last edition's value.
    """
    f = frame.sort([*key, "ed"])
    changed = pl.col("ed").shift(1).over(key).is_null() | (
        pl.col("ed").shift(1).over(key) != pl.col("ed") - 1)
    for a in attrs:
        changed = changed | (pl.col(a).shift(1).over(key) != pl.col(a))
    f = f.with_columns(changed.fill_null(True).cum_sum().alias("_run"))
    g = f.group_by([*key, "_run"]).agg(*[pl.col(a).first() for a in attrs],
                                        *[pl.col(c).last() for c in carry],
                                        pl.col("ed").min().alias("e0"), pl.col("ed").max().alias("e1"))
    ed_dates = pl.Series("d", dates + [None], dtype=pl.Date)
    return g.with_columns(
        pl.col("e0").map_elements(lambda i: dates[i], return_dtype=pl.Date).alias("valid_from"),
        pl.col("e1").map_elements(lambda i: ed_dates[i + 1], return_dtype=pl.Date).alias("valid_until"),
    ).drop("_run", "e0", "e1").sort([*key, "valid_from"])


def _date_2025_line_changes(b: Build, hts: pl.DataFrame, gap_end: dt.date,
                            key: tuple[str, ...] = ("code",)) -> pl.DataFrame:
    """Date the lines created or deleted inside the 2025 gap (no archive between the basic
    edition and rev 32) by the tracker's line concordance ``resources/hts_concordance.csv``:
    a line it adds at revision R starts at R's effective date instead of ``gap_end``; a line
    it drops or renames away ends there. Rates are those of the neighbouring edition."""
    dates = {r["revision"]: D(r["effective_date"]) for r in b.csv_rows(f"{TRT}/config/revision_dates.csv")}
    added: dict[str, dt.date] = {}
    removed: dict[str, dt.date] = {}
    for r in b.csv_rows(f"{RES}/hts_concordance.csv"):
        d = dates.get(r["revision_to"])
        if d is None or not (D("2025-01-01") < d < gap_end):
            continue
        if r["new_hts10"] not in ("", "NA"):
            added[r["new_hts10"]] = min(d, added.get(r["new_hts10"], d))
        if r["old_hts10"] not in ("", "NA") and r["old_hts10"] != r["new_hts10"]:
            removed[r["old_hts10"]] = min(d, removed.get(r["old_hts10"], d))
    first = pl.col("valid_from") == pl.col("valid_from").min().over(key)
    last = pl.col("valid_from") == pl.col("valid_from").max().over(key)
    start = pl.col("code").replace_strict(added, default=None, return_dtype=pl.Date)
    end = pl.col("code").replace_strict(removed, default=None, return_dtype=pl.Date)
    return hts.with_columns(
        pl.when(first & (pl.col("valid_from") == gap_end) & start.is_not_null())
        .then(start).otherwise(pl.col("valid_from")).alias("valid_from"),
        pl.when(last & (pl.col("valid_until") == gap_end) & end.is_not_null())
        .then(end).otherwise(pl.col("valid_until")).alias("valid_until"))


@lru_cache(maxsize=None)
def _special(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(parse_special(text).items())


def build_hts(b: Build) -> tuple[pl.DataFrame, pl.DataFrame, list[tuple[str, dt.date]]]:
    eds = hts_editions(b)
    dates = [d for _, d, _ in eds]
    lines, special = [], []
    for i, (_, _, recs) in enumerate(eds):
        leaves = leaf_lines(recs)
        lines.append(pl.DataFrame(leaves, schema=["code", "description", "general_text",
                                                  "special_text", "column2_text"], orient="row")
                     .with_columns(pl.lit(i).alias("ed")))
        sp = [(c, prog, txt) for c, _, _, s, _ in leaves for prog, txt in _special(s)]
        special.append(pl.DataFrame(sp, schema=["code", "program", "rate_text"], orient="row")
                       .with_columns(pl.lit(i).alias("ed")))
    # descriptions change with editorial edits of parent lines: they do not split intervals
    hts = _run_length(pl.concat(lines).drop("special_text"), ["code"],
                      ["general_text", "column2_text"], dates, carry=("description",))
    gap_end = next(d for label, d, _ in eds if label == "2025_rev_32")
    hts = _date_2025_line_changes(b, hts, gap_end)
    gen = [parse_rate(t) for t in hts["general_text"].to_list()]
    col2 = [parse_rate(t)[0] for t in hts["column2_text"].to_list()]
    hts = hts.with_columns(
        pl.Series("general_rate", [g[0] for g in gen], dtype=pl.Float64),
        pl.Series("general_kind", [g[1] for g in gen], dtype=pl.Utf8),
        pl.Series("column2_rate", col2, dtype=pl.Float64),
    ).select("code", "description", "general_text", "general_rate", "general_kind",
             "column2_rate", "valid_from", "valid_until")
    sp = _run_length(pl.concat(special), ["code", "program"], ["rate_text"], dates)
    sp = _date_2025_line_changes(b, sp, gap_end, key=("code", "program"))
    parsed = [parse_rate(t) for t in sp["rate_text"].to_list()]
    sp = sp.with_columns(pl.Series("rate", [p[0] for p in parsed], dtype=pl.Float64),
                         pl.Series("kind", [p[1] for p in parsed], dtype=pl.Utf8))
    sp = sp.filter(pl.col("rate").is_not_nan()).select(
        "code", "program", "rate", "kind", "valid_from", "valid_until")
    return hts, sp, [(label, d) for label, d, _ in eds]


# ---------------------------------------------------------------- imports 2024
def build_imports(b: Build) -> pl.DataFrame:
    """Census imports for consumption and calculated duty, HS10 × partner (ISO3; 0003 → EUN)."""
    iso = {r["cty_code"]: r["iso3"] for r in b.csv_rows("us-hts-2025/census_to_iso3.csv")}
    iso["0003"] = "EUN"   # the EU aggregate: overlaps its members (4359 Slovakia → SVK)
    frames = []
    for p in sorted((b.raw / "us-imports-hs10-2024").glob("2024-hs10-imports*.parquet")):
        cty = p.stem.removeprefix("2024-hs10-imports")
        if cty not in iso:
            raise SystemExit(f"{p}: Census code {cty!r} has no ISO3 in us-hts-2025/census_to_iso3.csv")
        b.path(f"us-imports-hs10-2024/{p.name}")
        f = pl.read_parquet(p, columns=["I_COMMODITY", "CON_VAL_YR", "CAL_DUT_YR"])
        frames.append(f.select(
            pl.col("I_COMMODITY").alias("hs10"), pl.lit(iso[cty]).alias("partner"),
            pl.col("CON_VAL_YR").cast(pl.Float64).alias("customs_value_usd"),
            pl.col("CAL_DUT_YR").cast(pl.Float64).alias("calculated_duty_usd")))
    return pl.concat(frames).sort("partner", "hs10")


# ---------------------------------------------------------------- product lists
Row = tuple[str, str, float, dt.date | None, dt.date | None, str]


def _rows(name: str, codes: Iterable[str], source: str, *, share: float = 1.0,
          start: dt.date | None = None, end: dt.date | None = None) -> list[Row]:
    return [(name, digits(c), share, start, end, source) for c in codes if digits(c)]


def _s232_lists(b: Build) -> list[Row]:
    pp_rel = f"{LATER}/config/policy_params.yaml"
    heads = b.yaml(pp_rel)["section_232_headings"]
    pp = "tariff-rate-tracker/later-versions/config/policy_params.yaml"
    out: list[Row] = []
    for key, name in [("autos_passenger", "s232_autos_passenger"),
                      ("autos_light_trucks", "s232_autos_light_trucks"),
                      ("mhd_vehicles", "s232_mhd_vehicles"), ("buses", "s232_buses"),
                      ("softwood", "s232_softwood_lumber"), ("wood_furniture", "s232_wood_furniture"),
                      ("kitchen_cabinets", "s232_kitchen_cabinets")]:
        out += _rows(name, heads[key]["prefixes"], f"{pp} section_232_headings.{key}")
    appl = {digits(r["hts_prefix"]): float(r["applicability_share"])
            for r in b.csv_rows(f"{RES}/s232_auto_parts_applicability.csv")}
    for fname, name in [("s232_auto_parts.txt", "s232_auto_parts"), ("s232_mhd_parts.txt", "s232_mhd_parts")]:
        codes = [ln.strip() for ln in b.path(f"{RES}/{fname}").read_text().splitlines()
                 if ln.strip() and not ln.startswith("#")]
        for c in codes:
            share = appl.get(digits(c), 1.0) if name == "s232_auto_parts" else 1.0
            out += _rows(name, [c], f"{RES}/{fname}", share=share)
    out += _rows("s232_copper", [r["hts10"] for r in b.csv_rows(f"{RES}/s232_copper_products.csv")],
                 f"{RES}/s232_copper_products.csv 9903.78.01")
    annex_start = D("2026-04-06")
    for r in b.csv_rows(f"{RES}/s232_metal_chapter_products.csv"):
        out += _rows(f"s232_{r['metal_type']}_{r['kind']}", [r["hts_prefix"]],
                     f"{RES}/s232_metal_chapter_products.csv {r['source']}",
                     start=na_date(r["effective_date"]), end=annex_start)
    for r in b.csv_rows(f"{RES}/s232_derivative_products.csv"):
        out += _rows(f"s232_{r['derivative_type']}_derivative", [r["hts_prefix"]],
                     f"{RES}/s232_derivative_products.csv {r['ch99_code']}",
                     start=na_date(r["effective_date"]), end=annex_start)
    out += _annex_lists(b)
    out += _rows("s232_subdivision_r_parts",
                 [r["hts_prefix"] for r in b.csv_rows(f"{RES}/s232_subdivision_r_products.csv")],
                 f"{RES}/s232_subdivision_r_products.csv note 33(r)", start=annex_start)
    qual = {r["hts10"]: float(r["qualifying_share"]) for r in b.csv_rows(f"{RES}/semi_qualifying_shares.csv")}
    for r in b.csv_rows(f"{RES}/s232_semi_products.csv"):
        out += _rows("s232_semiconductors", [r["hts10"]],
                     f"{RES}/s232_semi_products.csv {r['ch99_code']} (share: semi_qualifying_shares.csv)",
                     share=qual.get(r["hts10"], 1.0))
    ph = "us-s232-pharma-2026/s232_pharma_annex_hts10.csv"
    for r in b.csv_rows(ph):
        name = {"annex_I_note40c": "s232_pharma_annex_1", "annex_IV_zero_rate": "s232_pharma_annex_4"}[r["list"]]
        out += _rows(name, [r["hts10"]], f"{ph} {r['list']}", start=na_date(r["effective_date"]))
    for fname, name in [("s232_polysilicon_adval_products.csv", "s232_polysilicon_adval"),
                        ("s232_polysilicon_mip_products.csv", "s232_polysilicon_mip")]:
        out += _rows(name, [r["hts10"] for r in b.csv_rows(f"{LATER}/resources/{fname}")],
                     f"{LATER}/resources/{fname}")
    out += _rows("s232_aircraft_exempt_taiwan",
                 [r["hts8"] for r in b.csv_rows(f"{RES}/s232_aircraft_exempt_taiwan.csv")],
                 f"{RES}/s232_aircraft_exempt_taiwan.csv 9903.96.03")
    return out


def _annex_lists(b: Build) -> list[Row]:
    """Metals annexes by annex × metal. A prefix that moves annex (same metal) on a later
    date leaves its earlier annex on that date (Proclamation 11032, 2026-06-08)."""
    rel = f"{RES}/s232_annex_products.csv"
    rows = b.csv_rows(rel)
    moves: dict[tuple[str, str], list[tuple[dt.date, str]]] = {}
    for r in rows:
        moves.setdefault((digits(r["hts_prefix"]), r["metal_type"]), []).append(
            (D(r["effective_date"]), r["annex"]))
    out: list[Row] = []
    for r in rows:
        key = (digits(r["hts_prefix"]), r["metal_type"])
        start = D(r["effective_date"])
        later = sorted(d for d, a in moves[key] if d > start and a != r["annex"])
        out += _rows(f"s232_annex_{r['annex']}_{r['metal_type']}", [r["hts_prefix"]],
                     f"{rel} {r['source']}", start=start, end=later[0] if later else None)
    return out


_S301_NAMES = {"1": "list_1", "2": "list_2", "3": "list_3", "3_addl": "list_3_addl", "4A": "list_4a",
               "4B": "list_4b", "cranes_301": "cranes"}

_FL_NAMES = {"9903.05.86": "general", "9903.05.87": "note52c", "9903.05.88": "aircraft",
             "9903.05.96": "gbr_1", "9903.05.97": "eun_1", "9903.05.98": "che_1",
             "9903.05.99": "mys_1", "9903.06.01": "mys_2", "9903.06.02": "khm_1", "9903.06.03": "khm_2",
             "9903.06.04": "gtm_1", "9903.06.05": "gtm_2", "9903.06.06": "gtm_3",
             "9903.06.07": "slv_1", "9903.06.08": "slv_2", "9903.06.09": "slv_3",
             "9903.06.10": "arg_1", "9903.06.11": "arg_2", "9903.06.12": "bgd_1", "9903.06.13": "bgd_2",
             "9903.06.14": "twn_1", "9903.06.15": "twn_2", "9903.06.16": "idn_1", "9903.06.17": "idn_2",
             "9903.06.18": "ecu_1", "9903.06.19": "ecu_2", "9903.06.20": "jor_1", "9903.06.21": "jor_2"}


def _s301_lists(b: Build) -> list[Row]:
    out: list[Row] = []
    rel = f"{RES}/s301_product_lists.csv"
    for r in b.csv_rows(rel):
        name = "s301_china_" + _S301_NAMES.get(r["list"], r["list"].lower())
        out += _rows(name, [r["hts8"]], f"{rel} {r['ch99_code']}")
    cov = {r["hts10"]: float(r["coverage_share"]) for r in b.csv_rows(f"{RES}/s301_exclusion_line_coverage.csv")}
    for r in sorted(b.csv_rows(f"{RES}/s301_exclusion_lines.csv"), key=lambda r: r["ch99_code"]):
        out += _rows("s301_china_exclusions", [r["hts10"]],
                     f"{RES}/s301_exclusion_lines.csv {r['ch99_code']} (share: s301_exclusion_line_coverage.csv)",
                     share=cov.get(r["hts10"], 1.0))
    fl = b.json(f"{KN}/s301fl_except_hts.json")
    b.json(f"{KN}/s301fl_pack.json")  # structure of the headings (read for the record)
    for heading, item in fl["by_heading"].items():
        if heading == "9903.05.89":
            continue
        name = "s301fl_exempt_" + _FL_NAMES[heading]
        out += _rows(name, list(item["stems"]) + list(item.get("hts10") or []),
                     f"{KN}/s301fl_except_hts.json {heading}")
    ph = b.json(f"{KN}/s301fl_pharma_hts.json")
    out += _rows("s301fl_exempt_pharma", list(ph["stems"]) + list(ph.get("hts10") or []),
                 f"{KN}/s301fl_pharma_hts.json {ph['heading']}")
    br = b.json(f"{KN}/s301_brazil_hts.json")
    b.json(f"{KN}/s301_brazil.json")
    for heading, name in [("9903.05.03", "s301_brazil_exempt_annex"), ("9903.05.04", "s301_brazil_exempt_products"),
                          ("9903.05.05", "s301_brazil_aircraft"), ("9903.05.06", "s301_brazil_pharma")]:
        out += _rows(name, br["by_heading"][heading]["stems"], f"{KN}/s301_brazil_hts.json {heading}")
    return out


def _other_lists(b: Build) -> list[Row]:
    out: list[Row] = []
    rel = f"{RES}/ieepa_exempt_products.csv"
    for r in b.csv_rows(rel):
        end = na_date(r["effective_date_end"])   # last day in force (inclusive) in the raw file
        out += _rows("ieepa_annex_ii_exempt", [r["hts10"]], rel, start=na_date(r["effective_date_start"]),
                     end=end + dt.timedelta(days=1) if end else None)
    rel = f"{RES}/country_eo_exempt_products.csv"
    for r in b.csv_rows(rel):
        end = na_date(r["effective_date_end"])
        out += _rows("ieepa_brazil_eo_exempt", [r["hts10"]], f"{rel} {r['ch99_code']}",
                     start=na_date(r["effective_date_start"]), end=end + dt.timedelta(days=1) if end else None)
    rel = f"{RES}/fentanyl_carveout_products.csv"
    fent = {"energy_ca": "ieepa_fentanyl_energy_can", "potash_ca": "ieepa_fentanyl_potash_can",
            "potash_mx": "ieepa_fentanyl_potash_mex"}
    for r in b.csv_rows(rel):
        out += _rows(fent[r["category"]], [r["hts8"]], f"{rel} {r['ch99_code']}")
    rel = f"{RES}/floor_exempt_products.csv"
    for r in b.csv_rows(rel):
        out += _rows(f"floor_exempt_{r['country_group']}_{r['category']}", [r["hts8"]],
                     f"{rel} {r['ch99_code']}", start=na_date(r["effective_date_start"]))
    rel = f"{TRT}/data/us_notes/floor_exempt_2026_rev_4.csv"
    for r in b.csv_rows(rel):
        if r["country_group"] == "japan":  # not in resources/; first in HTS rev 23 (policy date 2025-09-16)
            out += _rows(f"floor_exempt_japan_{r['category']}", [r["hts8"]], f"{rel} {r['ch99_code']}",
                         start=D("2025-09-16"))
    out += _rows("s122_annex_ii_exempt", [r["hts8"] for r in b.csv_rows(f"{RES}/s122_exempt_products.csv")],
                 f"{RES}/s122_exempt_products.csv 9903.03.01")
    s338 = b.json(f"{KN}/s338_canada.json")
    for heading, name in [("9903.03.12", "s338_canada_alcohol"), ("9903.03.13", "s338_canada_dairy"),
                          ("9903.03.14", "s338_canada_goods"), ("9903.03.16", "s338_canada_aircraft_exempt")]:
        out += _rows(name, s338["lists"][heading], f"{KN}/s338_canada.json {heading}")
    out += _rows("s201_solar", [r["hts10"] for r in b.csv_rows(f"{RES}/s201_solar_products.csv")],
                 f"{RES}/s201_solar_products.csv")
    out += _rows("s201_quartz", [r["hts10"] for r in b.csv_rows(f"{LATER}/resources/s201_quartz_products.csv")],
                 f"{LATER}/resources/s201_quartz_products.csv")
    return out


def _normalise_prefixes(f: pl.DataFrame, hts: pl.DataFrame) -> pl.DataFrame:
    """A 10-digit code ending in ``00`` that is no HTS line but whose first 8 digits are an
    HTS8 subheading (``0201100500`` for 0201.10.05, as the tracker writes subheadings)
    becomes that HTS8 prefix, covering every statistical line under it."""
    prefixes = {c[:k] for c in hts["code"].to_list() for k in range(2, len(c) + 1)}
    fixed = [p[:8] if len(p) == 10 and p.endswith("00") and p not in prefixes and p[:8] in prefixes
             else p for p in f["hts_prefix"].to_list()]
    return f.with_columns(pl.Series("hts_prefix", fixed, dtype=pl.Utf8))


def _in_force(f: pl.DataFrame, hts: pl.DataFrame) -> pl.Series:
    """Whether each list row's prefix matches at least one HTS leaf line in force in its window."""
    far = dt.date(2100, 1, 1)
    lines = hts.select("code", pl.col("valid_from").alias("h0"),
                       pl.col("valid_until").fill_null(far).alias("h1"))
    rows = f.with_row_index("_i").with_columns(
        pl.col("valid_from").fill_null(dt.date(1900, 1, 1)).alias("l0"),
        pl.col("valid_until").fill_null(far).alias("l1"))
    hits = []
    for k in sorted(set(rows["hts_prefix"].str.len_chars().to_list())):
        sub = rows.filter(pl.col("hts_prefix").str.len_chars() == k)
        j = sub.join(lines.with_columns(pl.col("code").str.slice(0, k).alias("hts_prefix")),
                     on="hts_prefix", how="inner")
        hits.append(j.filter((pl.col("h0") < pl.col("l1")) & (pl.col("h1") > pl.col("l0")))["_i"])
    found = set(pl.concat(hits).to_list()) if hits else set()
    return pl.Series([i in found for i in range(f.height)])


def build_lists(b: Build, hts: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """All product lists, one row per (list, prefix), and the rows dropped.

    A prefix listed twice in one list keeps its earliest start (null = no stated start).
    A row whose prefix matches no HTS leaf line in force in its window (codes of older HS
    editions, chapter-99 cross-references, lines created after the last HTS archive) is
    dropped: nothing can be priced under it. The dropped rows go to the manifest.
    """
    rows = _s232_lists(b) + _s301_lists(b) + _other_lists(b)
    f = pl.DataFrame(rows, schema={"list": pl.Utf8, "hts_prefix": pl.Utf8, "share": pl.Float64,
                                   "valid_from": pl.Date, "valid_until": pl.Date, "source": pl.Utf8},
                     orient="row")
    f = _normalise_prefixes(f, hts)
    f = f.sort(["list", "hts_prefix", "valid_from", "source"], nulls_last=False)
    f = f.unique(["list", "hts_prefix"], keep="first", maintain_order=True)
    ok = _in_force(f, hts)
    return f.filter(ok).sort("list", "hts_prefix"), f.filter(~ok).sort("list", "hts_prefix")


# ---------------------------------------------------------------- shares, concordance, fx
def build_shares(b: Build) -> pl.DataFrame:
    """Per-product shares: USMCA claims (CAN/MEX), BEA metal content, auto-parts applicability."""
    parts = []
    rel = f"{RES}/usmca_product_shares.csv"
    us = pl.DataFrame(b.csv_rows(rel)).select(
        pl.lit("usmca_claims").alias("table"), pl.col("hts10").alias("hs10"),
        pl.col("cty_code").replace_strict({"1220": "CAN", "2010": "MEX"}).alias("partner"),
        pl.col("usmca_share").cast(pl.Float64).alias("share"))
    parts.append(us)
    mc = pl.DataFrame(b.csv_rows(f"{RES}/metal_content_shares_bea_hs10.csv"))
    for metal in ("steel", "aluminum", "copper", "metal"):
        col = "metal_share" if metal == "metal" else f"{metal}_share"
        parts.append(mc.select(pl.lit(f"metal_content_{metal}").alias("table"), "hs10",
                               pl.lit(None, dtype=pl.Utf8).alias("partner"),
                               pl.col(col).cast(pl.Float64).alias("share")))
    ap = b.csv_rows(f"{RES}/s232_auto_parts_applicability.csv")
    parts.append(pl.DataFrame({"table": ["auto_parts_applicability"] * len(ap),
                               "hs10": [digits(r["hts_prefix"]) for r in ap],
                               "partner": pl.Series([None] * len(ap), dtype=pl.Utf8),
                               "share": [float(r["applicability_share"]) for r in ap]}))
    return pl.concat(parts).unique(["table", "hs10", "partner"], keep="first").sort(
        "table", "hs10", "partner", nulls_last=False)


def build_concordance(b: Build, codes: list[str]) -> pl.DataFrame:
    """HS10 → NAICS6 (+ NAICS 4/3) and GTAP for every HTS10 code shipped.

    NAICS: the HS10 crosswalk (CBO via Budget Lab) where it has the code, else the HS6
    concordance (Pierce–Schott; many-to-many: the smallest NAICS code of the HS6 is kept).
    GTAP: the HS10 GTAP crosswalk, else the HS6 GTAP crosswalk.
    """
    n10 = {r["hs10"]: r["naics"] for r in b.csv_rows("hs-concordances/hs10_naics_crosswalk.csv")}
    n6: dict[str, str] = {}
    for r in b.csv_rows("hs-concordances/hs6_naics.csv"):
        if r["NAICS_6d"]:
            n6[r["HS6_6d"]] = min(n6.get(r["HS6_6d"], r["NAICS_6d"]), r["NAICS_6d"])
    g10 = {r["hs10"]: r["gtap_code"] for r in b.csv_rows("us-hts-2025/hs10_gtap_crosswalk.csv")}
    g6 = {r["hs6_code"]: r["gtap_code"] for r in b.csv_rows("hs-concordances/hs6_gtap_crosswalk.csv")}
    rows = []
    for c in sorted(set(codes)):
        naics, src = (n10[c], "hs10") if c in n10 else (n6.get(c[:6]), "hs6")
        rows.append((c, naics, naics[:4] if naics else None, naics[:3] if naics else None,
                     src if naics else None, g10.get(c) or g6.get(c[:6])))
    return pl.DataFrame(rows, schema=["hs10", "naics6", "naics4", "naics3", "naics_source", "gtap"],
                        orient="row")


_FX = {"Australia": "AUD", "Brazil": "BRL", "Canada": "CAD", "China": "CNY", "Denmark": "DKK",
       "Euro": "EUR", "Hong Kong": "HKD", "India": "INR", "Japan": "JPY", "Malaysia": "MYR",
       "Mexico": "MXN", "New Zealand": "NZD", "Norway": "NOK", "Singapore": "SGD",
       "South Africa": "ZAR", "South Korea": "KRW", "Sri Lanka": "LKR", "Sweden": "SEK",
       "Switzerland": "CHF", "Taiwan": "TWD", "Thailand": "THB", "United Kingdom": "GBP"}


def build_fx(b: Build) -> pl.DataFrame:
    """Monthly local currency per USD from 2000-01.

    No series is inverted: although the folder's SOURCE.md says the AUD, EUR, NZD and GBP
    series are USD per unit, the file holds them already as currency per USD (Euro
    1999-01 = 0.8627 = 1 / 1.1591, the Fed's published USD per euro that month).
    Left out: pre-euro national currencies, Ireland, and Venezuela (redenominations inside
    one series).
    """
    rows = []
    for r in b.csv_rows("fx-fred-h10-monthly/monthly.csv"):
        if r["Country"] not in _FX or not r["Exchange rate"].strip():
            continue
        month = D(r["Date"])
        if month >= D("2000-01-01"):
            rows.append((month, _FX[r["Country"]], float(r["Exchange rate"])))
    return pl.DataFrame(rows, schema={"month": pl.Date, "currency": pl.Utf8, "lcu_per_usd": pl.Float64},
                        orient="row").sort("currency", "month")


# ---------------------------------------------------------------- writing
def write(frame: pl.DataFrame, path: Path) -> None:
    frame.write_parquet(path, compression="zstd", compression_level=9, statistics=True,
                        row_group_size=max(frame.height, 1))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(raw: Path, out: Path) -> dict:
    b = Build(raw)
    out.mkdir(parents=True, exist_ok=True)
    hts, special, eds = build_hts(b)
    outputs: dict[str, tuple[pl.DataFrame, list[str]]] = {}
    used_before = set(b.used)
    outputs["hts.parquet"] = (hts, sorted(used_before))
    outputs["hts_special.parquet"] = (special, sorted(used_before))
    imports = build_imports(b)
    outputs["imports_2024.parquet"] = (imports, sorted(set(b.used) - used_before))
    before = set(b.used)
    lists, dropped = build_lists(b, hts)
    outputs["product_lists.parquet"] = (lists, sorted(set(b.used) - before))
    before = set(b.used)
    outputs["product_shares.parquet"] = (build_shares(b), sorted(set(b.used) - before))
    before = set(b.used)
    codes = [c for c in hts["code"].to_list() + imports["hs10"].to_list() if len(c) == 10]
    outputs["concordance.parquet"] = (build_concordance(b, codes), sorted(set(b.used) - before))
    before = set(b.used)
    outputs["fx_monthly.parquet"] = (build_fx(b), sorted(set(b.used) - before))
    manifest: dict = {"generator": "scripts/build_data.py", "raw_root": "../shared/data/raw",
                      "hts_editions": [{"edition": lbl, "valid_from": d.isoformat()} for lbl, d in eds],
                      "outputs": {},
                      "product_list_rows_dropped": {
                          "why": "prefix matches no HTS leaf line in force in the row's window",
                          "rows": [f"{r['list']} {r['hts_prefix']}" for r in dropped.iter_rows(named=True)]}}
    for name, (frame, inputs) in outputs.items():
        path = out / name
        write(frame, path)
        manifest["outputs"][name] = {
            "file": name, "rows": frame.height, "bytes": path.stat().st_size, "sha256": sha256(path),
            "inputs": [{"path": rel, "sha256": b.used[rel][0], "bytes": b.used[rel][1]} for rel in inputs]}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="raw data folder (../shared/data/raw)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (src/tradepact/data)")
    args = ap.parse_args(argv)
    if not (args.raw / TRT).is_dir():
        print(f"build_data: the raw data folder {args.raw} is missing (or has no {TRT}/). The build "
              "reads the public raw files kept next to the repository in ../shared/data/raw/; the "
              "shipped data in src/tradepact/data/ is already built, so nothing needs rebuilding "
              "unless you change the raw files. Pass --raw PATH to point at another copy.",
              file=sys.stderr)
        return 2
    manifest = build(args.raw, args.out)
    for name, o in manifest["outputs"].items():
        print(f"{name:24s} {o['rows']:>9,d} rows {o['bytes'] / 1e6:7.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
