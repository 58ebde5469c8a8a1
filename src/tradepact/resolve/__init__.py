"""Scenario + parameters → engine inputs: the only reader of parameters.

* :mod:`.scenario` — :func:`resolve` a scenario into the vehicle, the investor's
  macro position, both parties' terms and the tariff engine's inputs, with the
  provenance of every number;
* :mod:`.measures` — tariff measures as parameters (``us.tariffs.*``);
* :mod:`.tariffs`, :mod:`.tariff_files` — the tariff engine's inputs and the
  loaders of the shipped tariff files;
* :mod:`.uncertainty` — the distributions of a scenario's uncertain parameters.

Names load on first use (PEP 562), so ``tariffs rate`` does not pay for the
scenario machinery.
"""

from ..core.lazy import lazy

_EXPORTS = dict.fromkeys(("DesignDefaults", "PARTY_PATHS", "ResolvedScenario", "party_paths", "resolve"),
                         ".scenario")
__getattr__, __dir__ = lazy(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
