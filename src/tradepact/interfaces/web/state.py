"""What the web app loads once and keeps: the parameter tree, tariff engines, cached results.

Results are computed by the studies on first use and kept (the shipped
inputs do not change while the server runs); every request for a shipped
scenario after the first is a lookup.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from ...core.errors import Location, ScenarioError, with_value
from ...core.parameters import ParameterNode, default_parameters
from ...core.scenario import Scenario, load_scenario_text, shipped_scenarios
from .jobs import JobManager

#: Limits of a request.
MAX_BODY_BYTES = 256 * 1024
MAX_SCENARIOS = 12
MAX_DRAWS = 50_000
MAX_ZOPA_DRAWS = 2_000
MAX_JOBS = 4
#: Tariff lookups and shipped-scenario documents kept in memory.
RATE_CACHE = 4096
JSON_CACHE = 64


class WebState:
    """Loaded once per app: parameters, engines, caches and the job queue."""

    def __init__(self, *, verdict_draws: int = 10_000, overview: Sequence[str] | None = None,
                 max_jobs: int = MAX_JOBS) -> None:
        from ...studies.assess import DEFAULT_SCENARIOS
        self.tree: ParameterNode = default_parameters()
        self.shipped: tuple[str, ...] = tuple(shipped_scenarios())
        self.overview_names: tuple[str, ...] = tuple(overview or DEFAULT_SCENARIOS)
        self.verdict_draws = int(verdict_draws)
        self.jobs = JobManager(workers=1, max_jobs=max_jobs)
        self._lock = threading.RLock()
        self._assessments: dict[str, Any] = {}
        self._verdicts: dict[tuple[str, int], Any] = {}
        self._engines: dict[tuple[str | None, str], Any] = {}
        self._hts: Any = None
        self._scenarios: dict[str, Scenario] = {}
        self._rates: OrderedDict[tuple, bytes] = OrderedDict()
        self._json: OrderedDict[tuple, bytes] = OrderedDict()
        self.settle()

    def settle(self) -> None:
        """Take what is loaded now out of the garbage collector's rounds.

        The server keeps the parameter tree, the engines and the results for
        its whole life. Each full collection would walk them all again, tens
        of milliseconds in which no request is answered (the p99 of a cached
        lookup under load). Collected once and frozen (:func:`gc.freeze`),
        they are skipped. Called after each such object is built (a few
        times in a server's life)."""
        gc.collect()
        gc.freeze()

    # ------------------------------------------------------------ scenarios
    def scenario(self, name: str, field: str = "scenarios") -> Scenario:
        """A shipped scenario by name; anything else (a path) is refused."""
        if not isinstance(name, str) or name not in self.shipped:
            raise with_value("unknown scenario", location=Location(field=field), value=name,
                             expected="one of " + ", ".join(self.shipped), cls=ScenarioError)
        with self._lock:
            if name not in self._scenarios:
                self._scenarios[name] = Scenario.load(name)
            return self._scenarios[name]

    def scenarios_from(self, names: Sequence[str] | None, text: str | None) -> list[Scenario]:
        """The scenarios of a request: shipped names, or one scenario's YAML text (no files)."""
        if (names is None) == (text is None):
            raise with_value("give either 'scenarios' (shipped names) or 'scenario_yaml' (a scenario's text)",
                             location=Location(field="scenarios"), value="both" if names else "neither",
                             expected="exactly one of the two")
        if text is not None:
            return [load_scenario_text(text, "<request>", allow_files=False)]
        if not names or len(names) > MAX_SCENARIOS:
            raise with_value("wrong number of scenarios", location=Location(field="scenarios"),
                             value=len(names or []), expected=f"1 to {MAX_SCENARIOS} shipped names")
        return [self.scenario(n) for n in names]

    # ------------------------------------------------------------ cached results
    def assessment_of(self, name: str) -> Any:
        """The point assessment of one shipped scenario (cached)."""
        from ...studies.assess import assess
        with self._lock:
            if name not in self._assessments:
                self._assessments[name] = assess([self.scenario(name)], parameters=self.tree).scenarios[0]
                self.settle()
            return self._assessments[name]

    def assessment(self, names: Sequence[str]) -> Any:
        from ...results.assessment import Assessment
        return Assessment(tuple(self.assessment_of(n) for n in names))

    def verdict_of(self, name: str, draws: int | None = None) -> Any:
        """The verdict on one shipped scenario at ``draws`` (default: the app's), cached."""
        from ...studies.verdict import scenario_verdict
        n = self.verdict_draws if draws is None else int(draws)
        with self._lock:
            key = (name, n)
            if key not in self._verdicts:
                self._verdicts[key] = scenario_verdict(self.scenario(name), n_draws=n, tree=self.tree)
                self.settle()
            return self._verdicts[key]

    def engine(self, regime: str | None = None, method: str = "legal") -> Any:
        from ...studies.tariffs import TariffEngine
        with self._lock:
            key = (regime, method)
            if key not in self._engines:
                self._engines[key] = TariffEngine(regime=regime, method=method)
                self.settle()
            return self._engines[key]

    def cached_rate(self, key: tuple) -> bytes | None:
        with self._lock:
            hit = self._rates.get(key)
            if hit is not None:
                self._rates.move_to_end(key)
            return hit

    def rate_doc(self, partner: str, hs: str, on: str, regime: str | None, method: str) -> bytes:
        """``TariffRate.to_dict()`` of one lookup as JSON, kept (bounded): the shipped data do not change."""
        import json
        key = (partner, hs, on, regime, method)
        hit = self.cached_rate(key)
        if hit is not None:
            return hit
        doc = json.dumps(self.engine(regime, method).rate(partner, hs, on).to_dict(), ensure_ascii=False,
                         allow_nan=False, separators=(",", ":")).encode()
        with self._lock:
            self._rates[key] = doc
            while len(self._rates) > RATE_CACHE:
                self._rates.popitem(last=False)
        return doc

    def shipped_json(self, kind: str, names: tuple[str, ...], build: Any) -> bytes:
        """The encoded JSON of a document about shipped scenarios only (built once, bounded)."""
        import json
        key = (kind, names)
        with self._lock:
            hit = self._json.get(key)
        if hit is None:
            hit = json.dumps(build(), ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
            with self._lock:
                self._json[key] = hit
                while len(self._json) > JSON_CACHE:
                    self._json.popitem(last=False)
        return hit

    def hts(self) -> Any:
        """HTS lines (code, description), one row per code, as plain lists for search."""
        with self._lock:
            if self._hts is None:
                from ...io.shipped import hts_lines
                f = hts_lines().select(["code", "description"]).unique(subset="code", keep="last").sort("code")
                self._hts = (f["code"].to_list(), f["description"].to_list(),
                             [str(d or "").lower() for d in f["description"].to_list()])
                self.settle()
            return self._hts
