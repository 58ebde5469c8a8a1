"""Loaders from publishers' formats into :class:`ImportFrame`.

Each loader reads one documented layout, keeps only the import flows into
the chosen market, maps partner codes to ISO alpha-3 through a code table
(a file you pass, or the table shipped in ``policy/codes``) and converts
values to US dollars. Every failure is a :class:`TradeDataError` naming
the file, the column and the value.

Formats
-------
* **CEPII BACI** (``BACI_HS17_Y2022_V202401.csv``): columns ``t, i, j, k, v, q``
  = year, exporter, importer (ISO 3166 numeric as used by BACI), HS6 product,
  value in **thousands** of USD (FOB), quantity in metric tons. Country codes
  come from BACI's ``country_codes_V*.csv`` (``country_code``,
  ``country_iso3``).
* **UN Comtrade bulk CSV** (Comtrade+ "final" bulk files): columns
  ``refYear, reporterISO, flowCode, partnerISO, cmdCode, primaryValue`` and,
  when present, ``partner2ISO``/``partner2Code``, ``customsCode``,
  ``motCode``, ``qty``. Imports are ``flowCode == "M"``; the world partner
  (``W00``) and non-total breakdowns (second partner, customs procedure,
  mode of transport) are dropped so that each flow is counted once.
* **US Census imports, HS10 × country** (International Trade API
  ``/timeseries/intltrade/imports/hs`` JSON, or a CSV with the same
  variable names): ``I_COMMODITY, CTY_CODE`` and a value variable
  (``GEN_VAL_MO``/``CON_VAL_MO`` monthly, ``GEN_VAL_YR``/``CON_VAL_YR``
  year to date), ``time`` (``YYYY-MM``) or ``YEAR``/``MONTH``; quantity from
  ``GEN_QY1_MO``/``CON_QY1_MO`` when present. Census aggregate country
  codes (``-``, and codes starting with ``0``, e.g. ``0003`` European Union)
  are dropped; any other unmapped code is an error.
* **HS concordances** (WITS/UNSD tables such as ``HS2017 to HS2022``): two
  columns of 6-digit codes; one-to-many links split the value equally unless
  a ``weight`` column is given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ..core.errors import Location, with_value
from .codes import PartnerTable, load_partner_table
from .frame import ImportFrame, TradeDataError


def _read_csv(path: Path | str) -> pl.DataFrame:
    p = Path(path)
    try:
        df = pl.read_csv(p, infer_schema=False, encoding="utf8-lossy")
    except FileNotFoundError:
        raise TradeDataError("file not found", location=Location(str(p)),
                             expected="an existing CSV file") from None
    except (OSError, pl.exceptions.ComputeError) as exc:
        raise TradeDataError(f"cannot be read as CSV ({exc.__class__.__name__})",
                             location=Location(str(p))) from None
    return df.rename({c: c.lstrip("\ufeff").strip() for c in df.columns})


def _need(df: pl.DataFrame, cols: tuple[str, ...], source: str, what: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise with_value(f"not a {what} file: column missing", location=Location(source, 1, missing[0]),
                         value=df.columns[:8], expected="columns " + ", ".join(cols),
                         cls=TradeDataError)


def _map_partners(df: pl.DataFrame, column: str, mapping: dict[str, str], source: str,
                  what: str) -> pl.DataFrame:
    m = pl.DataFrame({column: list(mapping), "partner": list(mapping.values())},
                     schema={column: pl.Utf8, "partner": pl.Utf8})
    out = df.join(m, on=column, how="left")
    bad = out.filter(pl.col("partner").is_null())
    if bad.height:
        raise with_value(f"{bad[column].n_unique()} {what} code(s) have no ISO alpha-3 mapping",
                         location=Location(source, None, column), value=bad[column][0],
                         expected="codes listed in the country-code table passed to the loader",
                         cls=TradeDataError)
    return out


# ---------------------------------------------------------------- BACI
def load_baci_country_codes(path: Path | str) -> dict[str, str]:
    """BACI ``country_codes_V*.csv`` → {numeric code: ISO alpha-3}."""
    df = _read_csv(path)
    _need(df, ("country_code", "country_iso3"), str(path), "BACI country-code")
    df = df.filter(pl.col("country_iso3").is_not_null() & (pl.col("country_iso3") != "N/A"))
    return dict(zip(df["country_code"].str.strip_chars().to_list(),
                    df["country_iso3"].str.strip_chars().to_list()))


def load_baci(path: Path | str, *, country_codes: dict[str, str] | Path | str,
              importer: str = "USA") -> ImportFrame:
    """US (or ``importer``) imports from a CEPII BACI yearly file."""
    src = str(path)
    codes = country_codes if isinstance(country_codes, dict) else load_baci_country_codes(country_codes)
    df = _read_csv(path)
    _need(df, ("t", "i", "j", "k", "v"), src, "BACI")
    inverse = {iso: num for num, iso in codes.items()}
    if importer not in inverse:
        raise with_value("importer is not in the BACI country codes", location=Location(src),
                         value=importer, expected="an ISO alpha-3 code present in the code table",
                         cls=TradeDataError)
    df = df.with_columns(pl.col(c).str.strip_chars() for c in ("t", "i", "j", "k", "v"))
    df = df.filter(pl.col("j") == inverse[importer])
    df = _map_partners(df, "i", codes, src, "exporter")
    out = df.select(
        pl.col("k").str.zfill(6).alias("product"), "partner",
        pl.col("t").cast(pl.Int32).alias("period"),
        (pl.col("v").cast(pl.Float64) * 1000.0).alias("customs_value"),
        *([pl.col("q").str.strip_chars().replace({"NA": None, "": None})
           .cast(pl.Float64).alias("quantity")] if "q" in df.columns else []))
    return ImportFrame.from_polars(out, source=src)


# ---------------------------------------------------------------- Comtrade
def load_comtrade_bulk(path: Path | str, *, reporter: str = "USA", flow: str = "M",
                       partners: PartnerTable | None = None) -> ImportFrame:
    """Imports reported by ``reporter`` from a UN Comtrade+ bulk CSV."""
    src = str(path)
    df = _read_csv(path)
    _need(df, ("refYear", "reporterISO", "flowCode", "partnerISO", "cmdCode", "primaryValue"),
          src, "UN Comtrade bulk")
    df = df.filter((pl.col("reporterISO") == reporter) & (pl.col("flowCode") == flow)
                   & (pl.col("partnerISO") != "W00") & (pl.col("cmdCode") != "TOTAL"))
    for col, total in (("partner2ISO", "W00"), ("partner2Code", "0"), ("customsCode", "C00"),
                       ("motCode", "0")):
        if col in df.columns:
            df = df.filter(pl.col(col).is_null() | (pl.col(col) == total))
    table = partners or load_partner_table()
    bad = df.filter(~pl.col("partnerISO").is_in(sorted(table.codes)))
    if bad.height:
        raise with_value(f"{bad['partnerISO'].n_unique()} partner code(s) are not ISO alpha-3 codes "
                         "known to tradepact", location=Location(src, None, "partnerISO"),
                         value=bad["partnerISO"][0],
                         expected="codes listed in policy/codes/partners.csv (Comtrade's special "
                                  "areas such as _X or X1 must be removed or mapped first)",
                         cls=TradeDataError)
    out = df.select(
        pl.col("cmdCode").alias("product"), pl.col("partnerISO").alias("partner"),
        pl.col("refYear").cast(pl.Int32).alias("period"),
        pl.col("primaryValue").cast(pl.Float64).alias("customs_value"),
        *([pl.col("qty").replace({"": None}).cast(pl.Float64).alias("quantity")]
          if "qty" in df.columns else []))
    return ImportFrame.from_polars(out, source=src)


# ---------------------------------------------------------------- Census
_CENSUS_VALUE = ("GEN_VAL_MO", "CON_VAL_MO", "GEN_VAL_YR", "CON_VAL_YR")


def load_census_country_codes(path: Path | str) -> dict[str, str]:
    """A Census code → ISO alpha-3 table (columns ``cty_code``, ``iso3``)."""
    df = _read_csv(path)
    _need(df, ("cty_code", "iso3"), str(path), "Census country-code")
    return dict(zip(df["cty_code"].str.strip_chars().to_list(), df["iso3"].str.strip_chars().to_list()))


def _read_census_any(path: Path) -> pl.DataFrame:
    text = path.read_text(encoding="utf-8").lstrip()
    if text.startswith("["):
        try:
            rows = json.loads(text)
        except json.JSONDecodeError as exc:
            raise TradeDataError(f"is not valid JSON ({exc.msg})", location=Location(str(path), exc.lineno),
                                 expected="the Census API array of arrays") from None
        if not rows or not isinstance(rows[0], list):
            raise TradeDataError("is not a Census API response", location=Location(str(path)),
                                 expected="an array whose first row names the variables")
        header, body = rows[0], rows[1:]
        return pl.DataFrame(body, schema=[str(h) for h in header], orient="row")
    return _read_csv(path)


def load_census_imports(path: Path | str, *, country_codes: dict[str, str] | Path | str | None = None,
                        value: str | None = None) -> ImportFrame:
    """US imports by HS10 (or coarser) × country from a Census API JSON or CSV file.

    Monthly values are summed to calendar years. ``country_codes`` maps Census
    codes to ISO alpha-3 (default: the codes in ``policy/codes/partners.csv``;
    pass ``shared/data/raw/us-hts-2025/census_to_iso3.csv`` for all ~190).
    """
    p = Path(path)
    src = str(p)
    if not p.exists():
        raise TradeDataError("file not found", location=Location(src), expected="an existing file")
    df = _read_census_any(p)
    _need(df, ("I_COMMODITY", "CTY_CODE"), src, "Census imports")
    vcol = value or next((c for c in _CENSUS_VALUE if c in df.columns), None)
    if vcol is None or vcol not in df.columns:
        raise with_value("no value variable", location=Location(src, 1), value=df.columns[:8],
                         expected="one of " + ", ".join(_CENSUS_VALUE), cls=TradeDataError)
    if "time" in df.columns:
        year = pl.col("time").cast(pl.Utf8).str.slice(0, 4)
    elif "YEAR" in df.columns:
        year = pl.col("YEAR").cast(pl.Utf8)
    else:
        raise with_value("no period variable", location=Location(src, 1), value=df.columns[:8],
                         expected="'time' (YYYY-MM) or 'YEAR'", cls=TradeDataError)
    if vcol.endswith("_YR"):
        # year-to-date values: keep the last month of each year only
        month = (pl.col("time").cast(pl.Utf8).str.slice(5, 2) if "time" in df.columns
                 else pl.col("MONTH").cast(pl.Utf8) if "MONTH" in df.columns else pl.lit("12"))
        df = df.with_columns(year.alias("_y"), month.cast(pl.Int32).alias("_m"))
        df = df.filter(pl.col("_m") == pl.col("_m").max().over("_y"))
    else:
        df = df.with_columns(year.alias("_y"))
    df = df.with_columns(pl.col("CTY_CODE").cast(pl.Utf8).str.strip_chars())
    df = df.filter(~(pl.col("CTY_CODE").str.starts_with("0") | pl.col("CTY_CODE").str.starts_with("-")
                     | pl.col("CTY_CODE").str.contains("X")))
    if country_codes is None:
        mapping = load_partner_table().census_to_iso3()
    elif isinstance(country_codes, dict):
        mapping = country_codes
    else:
        mapping = load_census_country_codes(country_codes)
    df = _map_partners(df, "CTY_CODE", mapping, src, "Census country")
    qcol = next((c for c in ("GEN_QY1_MO", "CON_QY1_MO") if c in df.columns), None)
    out = df.group_by(pl.col("I_COMMODITY").cast(pl.Utf8).alias("product"), "partner",
                      pl.col("_y").cast(pl.Int32).alias("period")).agg(
        pl.col(vcol).cast(pl.Float64).sum().alias("customs_value"),
        *([pl.col(qcol).cast(pl.Float64).sum().alias("quantity")] if qcol else []))
    return ImportFrame.from_polars(out.sort("product", "partner", "period"), source=src)


# ---------------------------------------------------------------- concordances
@dataclass(frozen=True)
class Concordance:
    """Links between two HS versions (6-digit), with value weights."""

    links: pl.DataFrame  # source, target, weight (weights of one source sum to 1)
    source_version: str
    target_version: str
    file: str

    def convert(self, frame: ImportFrame) -> ImportFrame:
        """Re-express an HS6 frame in the target version (values split by weight)."""
        data = frame.data
        if data.filter(pl.col("product").str.len_chars() != 6).height:
            raise with_value("concordances apply to 6-digit codes",
                             location=Location(frame.source, None, "product"),
                             value=data.filter(pl.col("product").str.len_chars() != 6)["product"][0],
                             expected="an HS6 frame (use ImportFrame.aggregate(6) first)",
                             cls=TradeDataError)
        joined = data.join(self.links, left_on="product", right_on="source", how="left")
        bad = joined.filter(pl.col("target").is_null())
        if bad.height:
            raise with_value(f"{bad['product'].n_unique()} code(s) are not in the concordance",
                             location=Location(self.file, None, self.source_version),
                             value=bad["product"][0],
                             expected=f"{self.source_version} codes listed in the concordance",
                             cls=TradeDataError)
        aggs = [(pl.col("customs_value") * pl.col("weight")).sum().alias("customs_value")]
        if "quantity" in data.columns:
            aggs.append((pl.col("quantity") * pl.col("weight")).sum().alias("quantity"))
        out = joined.group_by(pl.col("target").alias("product"), "partner", "period").agg(aggs)
        return ImportFrame.from_polars(out, source=f"{frame.source} → {self.target_version}")


def load_hs_concordance(path: Path | str, *, source_col: str | None = None,
                        target_col: str | None = None) -> Concordance:
    """Read a WITS/UNSD HS concordance (two code columns, optional ``weight``)."""
    src = str(path)
    df = _read_csv(path)
    code_cols = [c for c in df.columns if "code" in c.lower()]
    s = source_col or (code_cols[0] if len(code_cols) >= 2 else None)
    t = target_col or (code_cols[1] if len(code_cols) >= 2 else None)
    if s is None or t is None or s not in df.columns or t not in df.columns:
        raise with_value("cannot find the two code columns", location=Location(src, 1),
                         value=df.columns, expected="two columns whose names contain 'Code' "
                         "(e.g. 'HS 2017 Product Code', 'HS 2022 Product Code') or source_col/target_col",
                         cls=TradeDataError)
    links = df.select(pl.col(s).str.strip_chars().str.zfill(6).alias("source"),
                      pl.col(t).str.strip_chars().str.zfill(6).alias("target"),
                      *([pl.col("weight").cast(pl.Float64)] if "weight" in df.columns else []))
    links = links.unique(["source", "target"])
    if "weight" not in links.columns:
        links = links.with_columns((1.0 / pl.len().over("source")).alias("weight"))
    else:
        links = links.with_columns(pl.col("weight") / pl.col("weight").sum().over("source"))
    return Concordance(links, s, t, src)
