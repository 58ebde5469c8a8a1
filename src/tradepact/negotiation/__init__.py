"""Negotiation: each side's payoff, the design space, the zone of agreement, the frontier."""

from .parties import (
    Host, Investor, Party, PartyInputs, Payoffs, TariffRelief, parties_from_parameters, payoffs,
    relief_stream,
)
from .zopa import (
    DIMENSIONS, DesignSpace, FrontierPoint, ProposalPosition, ZoneOfAgreement, evaluate_designs, find_zopa,
    pareto_front, solve_frontier, template_from_scenario,
)

__all__ = [
    "DIMENSIONS", "DesignSpace", "FrontierPoint", "Host", "Investor", "Party", "PartyInputs", "Payoffs",
    "ProposalPosition", "TariffRelief", "ZoneOfAgreement", "evaluate_designs",
    "find_zopa", "pareto_front", "parties_from_parameters", "payoffs", "relief_stream", "solve_frontier", "template_from_scenario",
]
