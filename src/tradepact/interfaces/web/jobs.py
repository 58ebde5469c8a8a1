"""Long studies (Monte Carlo, zone of agreement) as jobs: a bounded queue, progress, results.

A job runs a function ``fn(progress)`` on a small thread pool; the study
reports ``progress(done, total)`` (draws or chunks done) through the
callback it already takes. At most ``max_jobs`` jobs are queued or running;
a further submission raises :class:`QueueFull` (the API answers 429).
Finished jobs are kept for ``keep`` submissions, then forgotten.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ...core.errors import TradepactError


class QueueFull(Exception):
    """No room for another job."""


@dataclass
class Job:
    id: str
    kind: str
    state: str = "queued"               # queued, running, done, failed
    done: int = 0
    total: int = 0
    result: Any = None
    error: str | None = None
    error_field: str | None = None
    created: float = field(default_factory=time.time)
    finished: float | None = None

    def to_dict(self, *, with_result: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "kind": self.kind, "state": self.state,
                               "progress": {"done": self.done, "total": self.total}}
        if self.state == "failed":
            out["error"] = self.error
            out["field"] = self.error_field
        if with_result and self.state == "done":
            out["result"] = self.result
        return out


class JobManager:
    """Runs jobs on ``workers`` threads with at most ``max_jobs`` waiting or running."""

    def __init__(self, *, workers: int = 1, max_jobs: int = 4, keep: int = 32) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tradepact-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self.max_jobs = max_jobs
        self.keep = keep

    def active(self) -> int:
        with self._lock:
            return sum(1 for j in self._jobs.values() if j.state in ("queued", "running"))

    def submit(self, kind: str, fn: Callable[[Callable[[int, int], None]], Any]) -> Job:
        with self._lock:
            if sum(1 for j in self._jobs.values() if j.state in ("queued", "running")) >= self.max_jobs:
                raise QueueFull(f"{self.max_jobs} jobs are already waiting or running")
            job = Job(uuid.uuid4().hex, kind)
            self._jobs[job.id] = job
            self._forget_old()
        self._pool.submit(self._run, job, fn)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def _forget_old(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.state in ("done", "failed")]
        for k in finished[: max(0, len(finished) - self.keep)]:
            del self._jobs[k]

    @staticmethod
    def _run(job: Job, fn: Callable[[Callable[[int, int], None]], Any]) -> None:
        job.state = "running"

        def progress(done: int, total: int) -> None:
            job.done, job.total = int(done), int(total)

        try:
            job.result = fn(progress)
            job.state = "done"
        except TradepactError as exc:
            job.error = str(exc)
            job.error_field = exc.location.field if exc.location is not None else None
            job.state = "failed"
        except Exception as exc:  # noqa: BLE001 - reported, never a traceback
            job.error = f"the job failed ({exc.__class__.__name__})"
            job.state = "failed"
        finally:
            job.finished = time.time()

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
