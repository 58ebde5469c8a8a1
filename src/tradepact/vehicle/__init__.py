"""The pledge engine: tranches, schedules, cash flows, waterfall, value."""

from ..core.lazy import lazy

_EXPORTS = {
    **dict.fromkeys(("CashFlowSchedule", "TrancheFlows", "build_cash_flows", "disburse"), ".cashflows"),
    **dict.fromkeys(("CappedAnnual", "EquityTerms", "Explicit", "FdiTerms", "GuaranteeTerms", "InvestmentVehicle",
                     "LoanTerms", "ProfitShare", "SelectionWindow", "Tranche", "Upfront"), ".instruments"),
    "VehicleResult": ".valuation",
}
__getattr__, __dir__ = lazy(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
