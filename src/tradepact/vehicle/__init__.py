"""The pledge engine: tranches, schedules, cash flows, waterfall, value."""

from .cashflows import CashFlowSchedule, TrancheFlows, build_cash_flows, disburse
from .instruments import (
    CappedAnnual, EquityTerms, Explicit, FdiTerms, GuaranteeTerms, InvestmentVehicle, LoanTerms,
    ProfitShare, SelectionWindow, Tranche, Upfront,
)
from .valuation import VehicleResult

__all__ = [
    "CappedAnnual", "CashFlowSchedule", "EquityTerms", "Explicit", "FdiTerms", "GuaranteeTerms",
    "InvestmentVehicle", "LoanTerms", "ProfitShare", "SelectionWindow", "Tranche", "TrancheFlows",
    "Upfront", "VehicleResult", "build_cash_flows", "disburse",
]
