"""Negotiation: each side's payoff, the design space, the zone of agreement, the frontier."""

from .parties import (
    Host, Investor, Party, PartyInputs, Payoffs, TariffRelief, default_tariff_relief, parties_from_parameters,
    payoffs,
)
from .zopa import (
    DIMENSIONS, DesignSpace, FrontierPoint, ProposalPosition, ZoneOfAgreement, evaluate_designs, find_zopa,
    pareto_front, solve_frontier, template_from_scenario,
)

__all__ = [
    "DIMENSIONS", "DesignSpace", "FrontierPoint", "Host", "Investor", "Party", "PartyInputs", "Payoffs",
    "ProposalPosition", "TariffRelief", "ZoneOfAgreement", "default_tariff_relief", "evaluate_designs",
    "find_zopa", "pareto_front", "parties_from_parameters", "payoffs", "solve_frontier", "template_from_scenario",
]
