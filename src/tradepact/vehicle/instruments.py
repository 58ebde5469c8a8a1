r"""The pledge's legal structure as typed objects.

An :class:`InvestmentVehicle` is a list of :class:`Tranche`\ s, a
:class:`ProfitShare` for the tranches whose profits are split with the host,
and the calendar years modelled. Every numeric field may be a float or an
array of shape ``(n_draws,)``: one scenario is one draw, a Monte Carlo run is
many, and the same engine code runs both.

Instruments
-----------
``cash_equity``
    The investor pays capital into the host's investment vehicle; projects
    pay a cash yield on capital invested, split by the :class:`ProfitShare`
    waterfall. Capital is not returned except through distributions.
``loan``
    The investor lends; interest and principal come back, less expected
    defaults. Not profit-shared.
``guarantee``
    Contingent: the investor guarantees exposure issued by the schedule; cash
    leaves only when a guarantee is called (annual call probability on the
    exposure still outstanding, times loss given call). It earns a fee.
``company_fdi``
    Investment by the investor country's companies in their own projects,
    earning a cash yield that accrues to them in full.

Funding
-------
Each tranche names who pays (:data:`Funding`): ``reserves`` (the FX
authorities, from reserves or reserve income: this is what the "no adverse
shock" capacity limits), ``borrowing`` (state institutions that raise USD
abroad, such as policy banks and guarantee agencies) or ``corporate``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Literal, Union

import numpy as np

Instrument = Literal["cash_equity", "loan", "guarantee", "company_fdi"]
#: Who pays: the FX authorities from reserves or their income, state institutions
#: borrowing abroad (policy banks, guarantee agencies), or companies.
Funding = Literal["reserves", "borrowing", "corporate"]
#: Default payer of each instrument.
DEFAULT_FUNDING: dict[str, str] = {"cash_equity": "reserves", "loan": "borrowing",
                                   "guarantee": "borrowing", "company_fdi": "corporate"}
INSTRUMENTS: tuple[str, ...] = ("cash_equity", "loan", "guarantee", "company_fdi")

#: A number, or one number per draw (shape ``(n_draws,)``).
Draws = Union[float, np.ndarray]


# ---------------------------------------------------------------- schedules
@dataclass(frozen=True)
class Upfront:
    """The whole amount moves in one calendar year."""

    year: int
    kind: Literal["upfront"] = "upfront"


@dataclass(frozen=True)
class CappedAnnual:
    """Instalments of at most ``cap_usd_bn`` a year from ``start_year``.

    Each year pays ``min(cap, amount still due)``: an amount of 100 under a
    cap of 10 pays 10 a year for exactly 10 years; 105 pays a last 5 in year 11.
    """

    start_year: int
    cap_usd_bn: Draws
    kind: Literal["capped_annual"] = "capped_annual"


@dataclass(frozen=True)
class Explicit:
    """Given amounts by calendar year; they must add up to the tranche amount.

    With a drawn tranche amount, each year keeps its share of the total.
    """

    amounts_usd_bn: tuple[tuple[int, float], ...]
    kind: Literal["explicit"] = "explicit"


@dataclass(frozen=True)
class SelectionWindow:
    """Funding spread evenly in time over a project-selection window.

    Capital is called uniformly from 1 January of ``start_year`` through the
    last day of funding, the selection ``deadline`` plus the funding lag
    (business days converted at 7 calendar days per 5, rounded), and summed
    by calendar year. This
    is how an "upfront" demand with a selection deadline moves cash.
    """

    start_year: int
    deadline: _dt.date
    funding_lag_business_days: int = 0
    kind: Literal["selection_window"] = "selection_window"

    @property
    def end(self) -> _dt.date:
        """First day after the window (the window is half-open)."""
        lag = round(self.funding_lag_business_days * 7 / 5)
        return self.deadline + _dt.timedelta(days=lag + 1)


Schedule = Union[Upfront, CappedAnnual, Explicit, SelectionWindow]


# ---------------------------------------------------------------- terms
@dataclass(frozen=True)
class EquityTerms:
    """Cash distributed per year per unit of capital invested (paid at year end)."""

    cash_yield_rate: Draws


@dataclass(frozen=True)
class LoanTerms:
    """Interest-only for ``grace_years``, then equal principal instalments to ``tenor_years``.

    Each year a share ``annual_default_probability`` of the performing balance
    defaults; ``1 - loss_given_default_share`` of it is recovered that year.
    """

    interest_rate: Draws
    tenor_years: Draws
    grace_years: Draws
    annual_default_probability: Draws = 0.0
    loss_given_default_share: Draws = 0.0


@dataclass(frozen=True)
class GuaranteeTerms:
    """Exposure lives ``tenor_years``; each year a share ``annual_call_probability``
    of what is still outstanding is called and the investor pays
    ``loss_given_call_share`` of it. ``fee_rate`` is earned on outstanding exposure."""

    annual_call_probability: Draws
    loss_given_call_share: Draws
    tenor_years: Draws
    fee_rate: Draws = 0.0


@dataclass(frozen=True)
class FdiTerms:
    """Cash yield on company capital invested, accruing wholly to the companies."""

    cash_yield_rate: Draws


Terms = Union[EquityTerms, LoanTerms, GuaranteeTerms, FdiTerms]
TERMS_FOR: dict[str, type] = {
    "cash_equity": EquityTerms, "loan": LoanTerms, "guarantee": GuaranteeTerms,
    "company_fdi": FdiTerms,
}


@dataclass(frozen=True)
class Tranche:
    """One part of a pledge: an instrument, an amount, a schedule, terms."""

    name: str
    instrument: Instrument
    amount_usd_bn: Draws
    schedule: Schedule
    terms: Terms
    funding: Funding = "reserves"

    def __post_init__(self) -> None:
        expected = TERMS_FOR[self.instrument]
        if not isinstance(self.terms, expected):
            raise TypeError(f"tranche {self.name!r}: {self.instrument} takes {expected.__name__}")

    @property
    def profit_shared(self) -> bool:
        """Whether the tranche's distributions go through the profit waterfall."""
        return self.instrument == "cash_equity"

    @property
    def contingent(self) -> bool:
        """Whether the schedule issues exposure rather than moving cash."""
        return self.instrument == "guarantee"


@dataclass(frozen=True)
class ProfitShare:
    """The investor's share of distributions before and after it recoups its capital.

    Before the investor's cumulative receipts reach its contributed capital it
    receives ``investor_share_before_recoup`` of each distribution; afterwards
    ``investor_share_after_recoup``. The year of the switch is split exactly.
    """

    investor_share_before_recoup: Draws
    investor_share_after_recoup: Draws


@dataclass(frozen=True)
class InvestmentVehicle:
    """A pledge: tranches, profit waterfall, calendar years modelled."""

    tranches: tuple[Tranche, ...]
    profit_share: ProfitShare
    first_year: int
    last_year: int
    discount_rate: Draws = 0.0
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def years(self) -> np.ndarray:
        return np.arange(self.first_year, self.last_year + 1)
