"""Hypothesis profiles of the fuzz suite.

``ci`` (default, part of ``make test``): a fixed number of examples, about a
minute on a laptop. ``fuzz`` (``make fuzz``, ``TRADEPACT_FUZZ_PROFILE=fuzz``):
100,000 examples. ``TRADEPACT_FUZZ_EXAMPLES`` overrides the count of either.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = dict(deadline=None, derandomize=False, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                      HealthCheck.filter_too_much])
settings.register_profile("ci", max_examples=int(os.environ.get("TRADEPACT_FUZZ_EXAMPLES", 400)),
                          derandomize=True, **{k: v for k, v in _COMMON.items() if k != "derandomize"})
settings.register_profile("fuzz", max_examples=int(os.environ.get("TRADEPACT_FUZZ_EXAMPLES", 100_000)),
                          **_COMMON)
settings.load_profile(os.environ.get("TRADEPACT_FUZZ_PROFILE", "ci"))
