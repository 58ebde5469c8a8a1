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

from dataclasses import dataclass, field

import numpy as np

from ..core.instruments import (  # noqa: F401  (re-exported: the engine's vocabulary)
    INSTRUMENTS, CappedAnnual, Draws, EquityTerms, Explicit, FdiTerms, Funding, GuaranteeTerms, Instrument,
    LoanTerms, Schedule, SelectionWindow, Terms, Upfront,
)


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
        expected = INSTRUMENTS[self.instrument].terms_class
        if not isinstance(self.terms, expected):
            raise TypeError(f"tranche {self.name!r}: {self.instrument} takes {expected.__name__}")

    @property
    def profit_shared(self) -> bool:
        """Whether the tranche's distributions go through the profit waterfall."""
        return INSTRUMENTS[self.instrument].profit_shared

    @property
    def contingent(self) -> bool:
        """Whether the schedule issues exposure rather than moving cash."""
        return INSTRUMENTS[self.instrument].contingent


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
