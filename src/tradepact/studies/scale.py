"""Scale-out: run independent chunks of work in process or on a Dask cluster.

Large sweeps (Monte Carlo draws, designs × draws) are cut into chunks of
draws. Each chunk is a pure function of a payload (the scenario, the joint
distribution, the seed) and its ``[start, stop)`` range, and the random
numbers of a chunk depend only on the seed and the draw indices (see
:mod:`tradepact.macro.shocks`). So the same chunks, combined in the same
order, give **identical results** in process, on a local cluster and on a
remote one.

Executors:

* in process (``workers=1``, or small jobs when ``workers`` is ``None``);
* a Dask ``LocalCluster`` (``workers=N``, or large jobs when ``workers`` is
  ``None``): one single-threaded worker process per core by default;
* a running Dask cluster (``scheduler="tcp://host:8786"``);
* an existing ``distributed.Client`` (``client=...``).

A scheduler address is checked before Dask sees it (``tcp://host:port``), the
host must accept a TCP connection within
:data:`~tradepact.core.limits.SCHEDULER_CONNECT_TIMEOUT_S` seconds, and the
Dask handshake must finish within the same time; a malformed address, a port
that never answers and a port that is not a Dask scheduler each end in one
paragraph naming ``--scheduler``.
"""

from __future__ import annotations

import os
import re
import socket
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from ..core import limits
from ..core.errors import Location, TradepactError, with_value

R = TypeVar("R")
#: Rows (draws × designs × years) above which ``workers=None`` starts a local cluster.
AUTO_CLUSTER_ROWS = 20_000_000

Progress = Callable[[int, int], None]


def chunk_ranges(n: int, chunk: int) -> list[tuple[int, int]]:
    """``[start, stop)`` ranges of at most ``chunk`` items covering ``range(n)``."""
    if n < 0:
        raise ValueError("n must be 0 or more")
    if chunk < 1:
        raise ValueError("chunk must be 1 or more")
    return [(a, min(a + chunk, n)) for a in range(0, n, chunk)]


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


@contextmanager
def dask_client(*, workers: int | None = None, scheduler: str | None = None,
                processes: bool = True) -> Iterator[Any]:
    """A ``distributed.Client``: on the cluster at ``scheduler``, or on a new
    ``LocalCluster`` of ``workers`` single-threaded workers (processes by
    default). The cluster is closed on exit."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - a declared dependency
        raise TradepactError("Dask is not installed", expected="pip install 'dask[distributed]'") from None
    if scheduler:
        client = _connect(Client, scheduler)
        try:
            yield client
        finally:
            client.close()
        return
    import dask
    # Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_ set, which fixes
    # glibc's mmap threshold: every array above 128 kB is then mapped and
    # unmapped afresh, which halves the speed of the engines' chunk-sized
    # arrays. Local workers keep glibc's default (adaptive) behaviour instead.
    environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ", default={}) or {})
    environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    with dask.config.set({"distributed.nanny.pre-spawn-environ": environ}):
        cluster = LocalCluster(n_workers=workers or default_workers(), threads_per_worker=1,
                               processes=processes, dashboard_address=None)
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


_ADDRESS = re.compile(r"^(?:(tcp|tls)://)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.\-_]{0,252}):(\d{1,5})/?$")


def _scheduler_error(problem: str, scheduler: str) -> TradepactError:
    return with_value(problem, location=Location(field="--scheduler"), value=str(scheduler)[:100],
                      expected="the address of a running Dask scheduler, e.g. tcp://host:8786",
                      cls=TradepactError)


def parse_scheduler(scheduler: str) -> tuple[str, str, int]:
    """``(address, host, port)`` of a scheduler address, or a located error."""
    m = _ADDRESS.match(str(scheduler).strip())
    if m is None or not 0 < int(m.group(3)) < 65536:
        raise _scheduler_error("not a scheduler address", scheduler)
    proto, host, port = m.group(1) or "tcp", m.group(2), int(m.group(3))
    return f"{proto}://{host}:{port}", host.strip("[]"), port


def _connect(client_cls: Any, scheduler: str) -> Any:
    """A client of the scheduler at ``scheduler``, or a located error within the timeout."""
    timeout = limits.SCHEDULER_CONNECT_TIMEOUT_S
    address, host, port = parse_scheduler(scheduler)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except (OSError, ValueError, UnicodeError) as exc:
        raise _scheduler_error(f"cannot reach the Dask scheduler ({exc.__class__.__name__})", scheduler) from None
    import dask
    box: dict[str, Any] = {}

    def attempt() -> None:
        try:
            with dask.config.set({"distributed.comm.timeouts.connect": f"{timeout:g}s"}):
                box["client"] = client_cls(address, timeout=f"{timeout:g}s")
        except BaseException as exc:   # noqa: BLE001 - reported below as one paragraph
            box["error"] = exc
    thread = threading.Thread(target=attempt, daemon=True, name="tradepact-scheduler-connect")
    thread.start()
    thread.join(timeout * 1.5 + 1)
    if thread.is_alive():
        raise _scheduler_error(f"the Dask scheduler did not answer within {timeout:g} s", scheduler)
    if "error" in box:
        exc = box["error"]
        what = ("it does not speak the Dask protocol" if isinstance(exc, (MemoryError, ValueError, TypeError))
                else exc.__class__.__name__)
        raise _scheduler_error(f"cannot connect to the Dask scheduler ({what})", scheduler) from None
    return box["client"]


def _in_process(fn: Callable[..., R], payload: Any, ranges: Sequence[tuple[int, int]],
                progress: Progress | None) -> list[R]:
    out = []
    done = 0
    total = sum(b - a for a, b in ranges)
    for a, b in ranges:
        out.append(fn(payload, a, b))
        done += b - a
        if progress is not None:
            progress(done, total)
    return out


def _on_client(client: Any, fn: Callable[..., R], payload: Any,
               ranges: Sequence[tuple[int, int]], progress: Progress | None) -> list[R]:
    from distributed import as_completed
    [shared] = client.scatter([payload], broadcast=True)
    futures = [client.submit(fn, shared, a, b, pure=False) for a, b in ranges]
    index = {f.key: i for i, f in enumerate(futures)}
    results: list[Any] = [None] * len(futures)
    total = sum(b - a for a, b in ranges)
    done = 0
    try:
        for fut in as_completed(futures):
            i = index[fut.key]
            results[i] = fut.result()
            done += ranges[i][1] - ranges[i][0]
            if progress is not None:
                progress(done, total)
    finally:
        for f in futures:
            f.release()
    return results


def map_chunks(fn: Callable[..., R], payload: Any, ranges: Sequence[tuple[int, int]], *,
               workers: int | None = None, scheduler: str | None = None, client: Any = None,
               processes: bool = True, rows_per_item: int = 1,
               progress: Progress | None = None) -> list[R]:
    """``[fn(payload, a, b) for a, b in ranges]``, in order, on the chosen executor.

    ``workers=None`` runs in process unless the job has more than
    :data:`AUTO_CLUSTER_ROWS` rows (items × ``rows_per_item``), in which case
    it starts a ``LocalCluster`` with one worker per core.
    """
    if client is not None:
        return _on_client(client, fn, payload, ranges, progress)
    if scheduler:
        with dask_client(scheduler=scheduler) as c:
            return _on_client(c, fn, payload, ranges, progress)
    n_items = sum(b - a for a, b in ranges)
    if workers is None:
        big = n_items * rows_per_item > AUTO_CLUSTER_ROWS and default_workers() > 1 and len(ranges) > 1
        workers = default_workers() if big else 1
    if workers <= 1 or len(ranges) <= 1:
        return _in_process(fn, payload, ranges, progress)
    with dask_client(workers=min(workers, len(ranges)), processes=processes) as c:
        return _on_client(c, fn, payload, ranges, progress)


__all__ = ["AUTO_CLUSTER_ROWS", "chunk_ranges", "dask_client", "default_workers", "map_chunks",
           "parse_scheduler"]
