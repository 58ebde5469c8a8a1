r"""Partial-equilibrium import response (WITS-SMART style), vectorised by product.

For each product, US demand for imports is a CES (Armington) composite of the
partners' varieties. A tariff change moves partner *i*'s tariff-inclusive
price by

.. math::  e_i = 1 - (1-\phi)\,\frac{t^1_i - t^0_i}{1 + t^0_i}, \qquad
           r_i = e_i \, \frac{1 + t^1_i}{1 + t^0_i}

where :math:`\phi` is border pass-through (exporters absorb :math:`1-\phi`
of the change in their price :math:`e_i`). With tariff-inclusive expenditure
shares :math:`w_i`, the composite price moves by
:math:`R = (\sum_i w_i r_i^{1-\sigma})^{1/(1-\sigma)}` and quantities by

.. math::  q_i = r_i^{-\sigma} R^{\sigma - \varepsilon}

(:math:`\sigma`: substitution between partners, :math:`\varepsilon`: import
demand elasticity of the composite). New customs values are
:math:`X^1_i = X^0_i e_i q_i`. *Trade diversion* is the value change at a
fixed composite quantity, :math:`X^0_i (e_i r_i^{-\sigma} R^{\sigma} - 1)`;
*trade creation* is the rest. Tariff revenue is :math:`\sum_i t_i X_i`.
With :math:`\sigma = \varepsilon = 0` nothing moves; with :math:`\phi = 1`
exporters' prices are unchanged (SMART's infinite export supply elasticity).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import polars as pl

from ..core.errors import Location, with_value
from .measures import TariffError


@dataclass(frozen=True)
class ResponseParams:
    """Elasticities for the response (positive numbers) and border pass-through."""

    import_demand_elasticity: float = 1.0
    substitution_elasticity: float = 1.5
    pass_through: float = 1.0

    def __post_init__(self) -> None:
        for name in ("import_demand_elasticity", "substitution_elasticity"):
            v = getattr(self, name)
            if not (0 <= v <= 20):
                raise with_value("elasticity out of range", location=Location(field=name), value=v,
                                 expected="a non-negative number (elasticities are entered as positive)",
                                 cls=TariffError)
        if not 0 <= self.pass_through <= 1:
            raise with_value("pass-through out of range", location=Location(field="pass_through"),
                             value=self.pass_through, expected="a fraction from 0 to 1", cls=TariffError)

    @classmethod
    def from_elasticities(cls, table: Mapping[str, object]) -> "ResponseParams":
        """From :func:`tradepact.tariffs.data.load_elasticities`."""
        return cls(float(table["import_demand_elasticity"].value),      # type: ignore[attr-defined]
                   float(table["substitution_elasticity"].value),       # type: ignore[attr-defined]
                   float(table["border_pass_through"].value))           # type: ignore[attr-defined]


def import_response(flows: pl.DataFrame, params: ResponseParams) -> pl.DataFrame:
    """Response of import values to a change of tariff from ``rate0`` to ``rate1``.

    ``flows`` has ``product, partner, customs_value, rate0, rate1`` (one row per
    product × partner). Returns it with ``customs_value1``, ``exporter_price``
    (:math:`e_i`), ``creation``, ``diversion``, ``tariff_revenue0/1`` and
    ``export_revenue0/1`` (customs values at exporters' prices).
    """
    need = ("product", "partner", "customs_value", "rate0", "rate1")
    missing = [c for c in need if c not in flows.columns]
    if missing:
        raise with_value("column missing", location=Location(field=missing[0]), value=flows.columns,
                         expected="columns " + ", ".join(need), cls=TariffError)
    phi, sig, eps = params.pass_through, params.substitution_elasticity, params.import_demand_elasticity
    df = flows.with_columns(
        (1.0 - (1.0 - phi) * (pl.col("rate1") - pl.col("rate0")) / (1.0 + pl.col("rate0"))).alias("e"),
        (pl.col("customs_value") * (1.0 + pl.col("rate0"))).alias("_spend"),
    ).with_columns((pl.col("e") * (1.0 + pl.col("rate1")) / (1.0 + pl.col("rate0"))).alias("r"))
    df = df.with_columns((pl.col("_spend") / pl.col("_spend").sum().over("product")).fill_nan(0.0).alias("w"))
    if abs(sig - 1.0) < 1e-12:
        logR = (pl.col("w") * pl.col("r").log()).sum().over("product")
    else:
        logR = ((pl.col("w") * pl.col("r") ** (1.0 - sig)).sum().over("product")).log() / (1.0 - sig)
    has_trade = pl.col("_spend").sum().over("product") > 0
    df = df.with_columns(pl.when(has_trade).then(logR).otherwise(0.0).alias("_logR"))
    q = (-sig * pl.col("r").log() + (sig - eps) * pl.col("_logR")).exp()
    fixed = (-sig * pl.col("r").log() + sig * pl.col("_logR")).exp()
    df = df.with_columns(
        (pl.col("customs_value") * pl.col("e") * q).alias("customs_value1"),
        (pl.col("customs_value") * (pl.col("e") * fixed - 1.0)).alias("diversion"),
    ).with_columns(
        (pl.col("customs_value1") - pl.col("customs_value") - pl.col("diversion")).alias("creation"),
        (pl.col("rate0") * pl.col("customs_value")).alias("tariff_revenue0"),
        (pl.col("rate1") * pl.col("customs_value1")).alias("tariff_revenue1"),
        pl.col("customs_value").alias("export_revenue0"),
        pl.col("customs_value1").alias("export_revenue1"),
    )
    return df.drop("_spend", "w", "_logR", "r").rename({"e": "exporter_price"})


def summarise_response(resp: pl.DataFrame, by: str = "partner") -> pl.DataFrame:
    """Totals by partner (or product): values, creation, diversion, revenues."""
    cols = ["customs_value", "customs_value1", "creation", "diversion", "tariff_revenue0",
            "tariff_revenue1", "export_revenue0", "export_revenue1"]
    return resp.group_by(by).agg([pl.col(c).sum() for c in cols]).sort(by)


__all__ = ["ResponseParams", "import_response", "summarise_response", "np"]
