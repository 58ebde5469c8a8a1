"""Negotiation engines: each side's payoff, the design space, the Pareto frontier.

Pure maths over a resolved design template; the study that prices a grid and
places proposals is :mod:`tradepact.studies.zopa`.
"""

from ..core.lazy import lazy

_EXPORTS = {
    **dict.fromkeys(("Host", "Investor", "Party", "PartyInputs", "Payoffs", "ReliefStream", "payoffs",
                     "relief_stream", "relief_value"), ".parties"),
    **dict.fromkeys(("DIMENSIONS", "DEFAULT_BOUNDS", "DEFAULT_GRID", "DesignPayoffs", "DesignSpace",
                     "DesignTemplate", "design_of", "design_vehicle", "evaluate_designs"), ".design"),
    **dict.fromkeys(("FrontierPoint", "ProposalPosition", "pareto_front", "solve_frontier"), ".frontier"),
}
__getattr__, __dir__ = lazy(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
