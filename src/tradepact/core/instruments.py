r"""One vocabulary of instruments: schedules, terms and the :data:`INSTRUMENTS` registry.

Every layer that names an instrument reads this module: the scenario schema
(which instruments and terms a file may name), :mod:`tradepact.resolve` (the
parameter each term defaults to, who pays by default), the design space and
the payoffs (the parameter of the host's value of a dollar of it), and the
results (labels and descriptions). Adding an instrument is one entry here, one
terms dataclass, and its flows in :mod:`tradepact.vehicle.cashflows`.

Every numeric field of a schedule or a terms object may be a float or an array
of shape ``(n_draws,)`` (see :mod:`tradepact.vehicle.instruments`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Literal, Union

import numpy as np

from .arrays import Draws  # noqa: E402,F401  (a number or one per draw)
#: Who pays: the FX authorities from reserves or their income, state institutions
#: borrowing abroad (policy banks, guarantee agencies), or companies.
Funding = Literal["reserves", "borrowing", "corporate"]
FUNDING: tuple[str, ...] = ("reserves", "borrowing", "corporate")


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



@dataclass(frozen=True)
class InstrumentSpec:
    """What the model knows about one instrument.

    ``term_paths`` maps each term of ``terms_class`` to the parameter it
    defaults to; ``host_value_path`` is the parameter of the share of a dollar
    of it the host counts as capital formed in its economy (see
    ``docs/negotiation.md``); ``lands_in_host`` says which flow lands in the
    host economy: the cash paid (``cash_out``) or the amount issued (loans
    disbursed, guarantee exposure).
    """

    name: str
    label: str
    description: str
    terms_class: type
    term_paths: Mapping[str, str]
    default_funding: Funding
    host_value_path: str
    profit_shared: bool = False
    contingent: bool = False
    lands_in_host: Literal["cash_out", "issued"] = "cash_out"

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self.terms_class))


_HOST = "assumptions.negotiation.host"
INSTRUMENTS: dict[str, InstrumentSpec] = {s.name: s for s in (
    InstrumentSpec(
        "cash_equity", "cash equity", "The investor pays capital into the host's investment vehicle; "
        "projects pay a cash yield on capital invested, split by the profit waterfall.",
        EquityTerms, {"cash_yield_rate": "assumptions.vehicle.project_cash_yield_rate"}, "reserves",
        f"{_HOST}.cash_equity_spillover_share", profit_shared=True),
    InstrumentSpec(
        "loan", "loans", "The investor lends; interest and principal come back, less expected defaults.",
        LoanTerms, {k: f"assumptions.instruments.loan.{k}" for k in (
            "interest_rate", "tenor_years", "grace_years", "annual_default_probability",
            "loss_given_default_share")}, "borrowing", f"{_HOST}.loan_spillover_share", lands_in_host="issued"),
    InstrumentSpec(
        "guarantee", "credit guarantees", "Contingent: cash leaves only when a guarantee is called; "
        "it earns a fee on exposure outstanding.",
        GuaranteeTerms, {k: f"assumptions.instruments.guarantee.{k}" for k in (
            "annual_call_probability", "loss_given_call_share", "tenor_years", "fee_rate")}, "borrowing",
        f"{_HOST}.guarantee_spillover_share", contingent=True, lands_in_host="issued"),
    InstrumentSpec(
        "company_fdi", "company investment", "Investment by the investor country's companies in their "
        "own projects, earning a cash yield that accrues to them in full.",
        FdiTerms, {"cash_yield_rate": "assumptions.instruments.company_fdi.cash_yield_rate"}, "corporate",
        f"{_HOST}.company_fdi_spillover_share"),
)}
Instrument = Literal["cash_equity", "loan", "guarantee", "company_fdi"]
#: Every term any instrument takes (the scenario's ``terms:`` keys).
ALL_TERMS: tuple[str, ...] = tuple(dict.fromkeys(t for s in INSTRUMENTS.values() for t in s.terms))


def describe_schedule(s: Schedule) -> str:
    """A schedule in plain words (first draw of drawn values)."""
    if isinstance(s, CappedAnnual):
        cap = float(np.asarray(s.cap_usd_bn).reshape(-1)[0])
        return f"capped at {cap:g} USD bn/yr from {s.start_year}"
    if isinstance(s, Upfront):
        return f"upfront in {s.year}"
    if isinstance(s, Explicit):
        return "explicit: " + ", ".join(f"{y}: {a:g}" for y, a in s.amounts_usd_bn)
    return (f"evenly from {s.start_year} to the selection deadline {s.deadline.isoformat()}"
            f" + {s.funding_lag_business_days} business days")
