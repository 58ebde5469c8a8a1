"""How duties under different authorities combine: one documented function.

Every slot ``(authority, program)`` arrives resolved (see
:mod:`tradepact.tariffs.measures`) as two arrays over the product × partner
grid: ``lvl``, the rate on the value it applies to, and ``cov``, the share of
the value it applies to (1 unless part of the trade is exempt, e.g. the
USMCA-qualifying share). The duty rate of a slot on the whole value is
``cov × lvl``. A rule "A excludes B" removes B from the value that A covers:
``cov_B ← cov_B × (1 − cov_A)`` (shares are combined as if independent).

Method ``"legal"`` (default) — the rules in force, each with its source:

====  =========================================================  =====================================
rule  effect                                                     legal source
====  =========================================================  =====================================
S1    one Section 232 program per article, in the order          Proc. 10908 cl. 3 (autos first);
      vehicles (autos, parts, trucks, buses) > semiconductors    EO 14289 sec. 3(a), 3(c); Proc. 10976
      > wood (furniture, lumber) > copper > steel and            (autos over wood); Proc. 10962 (copper
      aluminium (these two may stack with each other) > any      not on autos); Proclamation of
      other program                                              2026-01-14 (semiconductors, note 39)
S2    IEEPA border duties on Canada/Mexico exclude the           EO 14289 sec. 3(b)
      steel and aluminium duties
S3    Section 232 vehicle and wood duties exclude the            EO 14289 sec. 3(a); Proc. 10976
      Canada/Mexico IEEPA border duties
S4    any Section 232 duty excludes the IEEPA reciprocal duty    EO 14257 sec. 3(b), as amended
                                                                 (EO 14326; CBP 9903.01.33)
S5    any Section 232 duty excludes the Section 122 surcharge    Proclamation of 2026-02-20 (s122), cl. 3
S6    everything else stacks: column 1 and FTA margin,           EO 14289 sec. 4; EO 14257 sec. 3(c);
      Section 301, China's IEEPA fentanyl duty, floors            FR 2025-21940 (all-in rules are
      already net of column 1                                     computed against column 1)
====  =========================================================  =====================================

Method ``"additive"`` — every slot stacks on every other (no exclusions,
all Section 232 programs add up): the upper bound used in sensitivity
runs, like the tracker's ``tpc_additive`` switch.

A floor or cap never needs a rule here: it is already expressed net of
column 1 when the slot is resolved, so column 1 + slot = the all-in rate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..core.errors import Location, with_value
from .measures import AUTHORITIES, TariffError

VEHICLES = ("autos", "auto_parts", "trucks", "buses")
WOOD = ("furniture", "lumber")
METALS = ("steel", "aluminum")
#: Semiconductors (9903.79.01) are not subject to the metals duties (Proclamation of 2026-01-14, note 39).
SEMICONDUCTORS = ("semiconductors",)
S232_ORDER = VEHICLES + SEMICONDUCTORS + WOOD + ("copper",) + METALS
BORDER_PROGRAMS = ("can", "mex")
METHODS = ("legal", "additive")

STACKING_RULES = {
    "S1": "one Section 232 program per article: vehicles > semiconductors > wood > copper > steel+aluminium > other "
          "(Proc. 10908; EO 14289 sec. 3(a),(c); Proc. 10976; Proc. 10962)",
    "S2": "Canada/Mexico IEEPA border duties exclude steel and aluminium duties (EO 14289 sec. 3(b))",
    "S3": "Section 232 vehicle and wood duties exclude the Canada/Mexico border duties "
          "(EO 14289 sec. 3(a); Proc. 10976)",
    "S4": "any Section 232 duty excludes the IEEPA reciprocal duty (EO 14257 sec. 3(b) as amended)",
    "S5": "any Section 232 duty excludes the Section 122 surcharge (Proclamation of 2026-02-20)",
    "S6": "column 1, FTA margin, Section 301 and China's fentanyl duty stack (EO 14289 sec. 4)",
}

#: Keys of ``_measures/_sources.yaml`` behind each rule.
RULE_SOURCES = {
    "S1": ("proc10908", "eo14289", "proc10976", "proc10962"),
    "S2": ("eo14289",),
    "S3": ("eo14289", "proc10976"),
    "S4": ("eo14257", "eo14326"),
    "S5": ("s122_proclamation", "s122_cbp"),
    "S6": ("eo14289",),
}


@dataclass
class Slot:
    """A resolved slot: rate ``lvl`` on the share ``cov`` of the value."""

    lvl: np.ndarray
    cov: np.ndarray

    @property
    def rate(self) -> np.ndarray:
        return self.lvl * self.cov


@dataclass(frozen=True)
class Stacked:
    """Duty rates by authority on the whole value, and the Section 232 program applied."""

    rates: dict[str, np.ndarray]
    s232_program: np.ndarray          # index into s232_programs, -1 where none
    s232_programs: tuple[str, ...]

    @property
    def total(self) -> np.ndarray:
        out = None
        for a in AUTHORITIES:
            r = self.rates.get(a)
            if r is not None:
                out = r.copy() if out is None else out + r
        assert out is not None
        return out


def apply_stacking(slots: Mapping[tuple[str, str], Slot], shape: tuple[int, ...], *,
                   method: str = "legal") -> Stacked:
    """Combine resolved slots into one duty rate per authority (rules S1–S6 above)."""
    if method not in METHODS:
        raise with_value("unknown stacking method", location=Location(field="method"), value=method,
                         expected="one of " + ", ".join(METHODS), cls=TariffError)
    zeros = np.zeros(shape)
    rates = {a: zeros.copy() for a in AUTHORITIES}
    extra = sorted({p for (a, p) in slots if a == "s232" and p not in S232_ORDER})
    programs = S232_ORDER + tuple(extra)
    s232_program = np.full(shape, -1, dtype=np.int16)

    border = [slots[("ieepa_fent", p)] for p in BORDER_PROGRAMS if ("ieepa_fent", p) in slots]
    border_cov = sum((s.cov for s in border), zeros.copy())

    if method == "additive":
        for (auth, _prog), s in slots.items():
            rates[auth] = rates[auth] + s.rate
        for k, prog in enumerate(programs):
            s = slots.get(("s232", prog))
            if s is not None:
                s232_program[(s232_program < 0) & (s.cov > 0)] = k
        return Stacked(rates, s232_program, programs)

    # S1 (+ S2 on metals): choose one Section 232 program per cell.
    taken = np.zeros(shape, dtype=bool)          # taken by a non-metal program
    metal_taken = np.zeros(shape, dtype=bool)
    s232_cov = zeros.copy()
    excl_border = zeros.copy()                   # cover of vehicle/wood programs (for S3)
    for k, prog in enumerate(programs):
        s = slots.get(("s232", prog))
        if s is None:
            continue
        cov = s.cov
        if prog in METALS:
            cov = cov * (1.0 - border_cov)       # S2
            choose = (cov > 0) & ~taken
        else:
            choose = (cov > 0) & ~taken & ~metal_taken
        rates["s232"] = rates["s232"] + np.where(choose, s.lvl * cov, 0.0)
        s232_cov = np.where(choose, np.maximum(s232_cov, cov), s232_cov)
        s232_program[(s232_program < 0) & choose] = k
        if prog in VEHICLES or prog in WOOD:
            excl_border = np.where(choose, np.maximum(excl_border, cov), excl_border)
        if prog in METALS:
            metal_taken |= choose
        else:
            taken |= choose

    for (auth, prog), s in slots.items():
        if auth == "s232":
            continue
        cov = s.cov
        if auth == "ieepa_fent" and prog in BORDER_PROGRAMS:
            cov = cov * (1.0 - excl_border)      # S3
        elif auth == "ieepa_recip":
            cov = cov * (1.0 - s232_cov)         # S4
        elif auth == "s122":
            cov = cov * (1.0 - s232_cov)         # S5
        rates[auth] = rates[auth] + s.lvl * cov  # S6: the rest stacks
    return Stacked(rates, s232_program, programs)
