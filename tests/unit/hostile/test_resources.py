"""Issue 12: bounded resources (memory estimated before allocating, counts
bounded), a scheduler that cannot hang the run, strict JSON everywhere."""

from __future__ import annotations

import json
import socket
import threading
import time

import numpy as np
import pytest

from tradepact.core import limits
from tradepact.core.errors import TradepactError
from tradepact.interfaces.cli import main
from tradepact.interfaces.export import dumps, strict
from tradepact.studies import budget
from tradepact.studies.scale import dask_client, parse_scheduler

from .conftest import one_paragraph


# ------------------------------------------------------------------ memory
def test_machine_memory_is_read_from_meminfo(tmp_path):
    f = tmp_path / "meminfo"
    f.write_text("MemTotal:       16384000 kB\nMemFree:         1000 kB\n")
    assert budget.machine_memory_bytes(f) == 16384000 * 1024
    assert budget.machine_memory_bytes(tmp_path / "missing") is None


def test_sizes_parse_with_units():
    assert budget.parse_size("4GB") == 4 * 10**9
    assert budget.parse_size("512MiB") == 512 * 2**20
    assert budget.parse_size("2e9") == 2 * 10**9
    for bad in ("lots", "-3GB", "4XB", "1KB", "nan"):
        with pytest.raises(TradepactError, match="--max-memory"):
            budget.parse_size(bad)


def test_simulation_estimate_by_hand():
    # 1,000 draws (kept) × 2 scenarios: 40 figures per draw, and the 3 series × 10 years
    # as streams still exact (every value kept), one scenario's exact phase at a time,
    # plus one chunk of 1,000 draws × 10 years × 80 working arrays; 8 bytes each.
    assert budget.simulation_bytes(1000, 10, 2, chunk=8192) == 8 * (2 * (1000 * 40 + 30 * 1000) + 30 * 1000
                                                                     + 1000 * 10 * 80)
    # 10 M draws (streamed) × 4 scenarios × 40 years: 40 figures and 120 series cells as
    # sketches of 4,098 counts each, an exact phase of 131,072 rows, a chunk of 65,536 draws.
    assert budget.simulation_bytes(10**7, 40, 4) == 8 * (4 * 160 * 4098 + 160 * 131_072 + 65_536 * 40 * 80)
    # --keep-annual keeps every draw's 120 series cells instead of sketching them.
    assert budget.simulation_bytes(10**7, 40, 4, keep_annual=True) == 8 * (
        4 * (10**7 * 120 + 40 * 4098) + 40 * 131_072 + 65_536 * 40 * 80)


def test_a_trillion_kept_draws_is_refused_before_anything_is_allocated():
    need = budget.simulation_bytes(10**12, 40, 4, keep_draws=True)
    with pytest.raises(TradepactError) as info:
        budget.check_memory(need, 8 * 10**9, "a trillion draws", "fewer --draws per run")
    text = str(info.value)
    assert "--max-memory" in text and "fewer --draws" in text and one_paragraph(text)


def test_simulate_refuses_above_max_memory(capsys):
    code = main(["simulate", "--scenario", "us_kr_2025/final", "--draws", "50000000", "--max-memory", "100MB",
                 "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and "more than the limit of 100.0 MB" in err and "fewer --draws" in err


def test_counts_are_bounded_with_the_bound_in_the_message(capsys):
    assert main(["simulate", "--draws", "1000000000000"]) == 2
    assert f"{limits.MAX_DRAWS}" in capsys.readouterr().err
    assert main(["zopa", "--refine", "1000000000"]) == 2
    assert f"{limits.MAX_REFINE}" in capsys.readouterr().err


# ------------------------------------------------------------------ scheduler
@pytest.fixture
def silent_port():
    """A TCP port that accepts connections and never answers."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    conns = []
    stop = threading.Event()

    def serve() -> None:
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                conns.append(srv.accept()[0])
            except OSError:
                pass
    t = threading.Thread(target=serve, daemon=True)
    t.start()
    yield srv.getsockname()[1]
    stop.set()
    t.join()
    for c in conns:
        c.close()
    srv.close()


def test_a_scheduler_that_never_answers_times_out(silent_port, monkeypatch):
    monkeypatch.setattr(limits, "SCHEDULER_CONNECT_TIMEOUT_S", 1.0)
    t0 = time.monotonic()
    with pytest.raises(TradepactError) as info:
        with dask_client(scheduler=f"tcp://127.0.0.1:{silent_port}"):
            pass
    assert time.monotonic() - t0 < 30
    assert "--scheduler" in str(info.value) and one_paragraph(str(info.value))


@pytest.mark.parametrize("address", ["tcp://nohost:::", "http://x", "tcp://127.0.0.1:99999", "", "\x00"])
def test_a_malformed_scheduler_address_is_one_paragraph(address):
    with pytest.raises(TradepactError, match="not a scheduler address"):
        parse_scheduler(address)


def test_scheduler_addresses_that_are_fine():
    assert parse_scheduler("tcp://10.0.0.1:8786") == ("tcp://10.0.0.1:8786", "10.0.0.1", 8786)
    assert parse_scheduler("localhost:8786") == ("tcp://localhost:8786", "localhost", 8786)


# ------------------------------------------------------------------ strict JSON
def test_strict_json_turns_non_finite_into_null_with_a_reason():
    doc = {"a": float("nan"), "b": [1.0, float("inf")], "c": np.float64(-np.inf), "d": np.int64(3), "e": "x"}
    text = dumps(doc)
    back = json.loads(text)
    assert back["a"] is None and back["b"] == [1.0, None] and back["c"] is None and back["d"] == 3
    assert set(back["null_reasons"]) == {"a", "b[1]", "c"}
    assert "NaN" not in text and "Infinity" not in text
    assert strict({"x": 1.5}) == {"x": 1.5}


def test_every_json_option_prints_strict_json(capsys):
    runs = [["assess", "--json", "--no-report", "--scenario", "us_kr_2025/final"],
            ["tariffs", "rate", "--partner", "KOR", "--hs", "870323", "--date", "2025-10-01", "--json"],
            ["tariffs", "regimes", "--json"],
            ["params", "show", "kr.macro.gdp_usd_bn", "--json"],
            ["schema"],
            ["simulate", "--scenario", "us_kr_2025/final", "--draws", "64", "--json", "--no-progress"]]
    for argv in runs:
        assert main(argv) == 0, argv
        text = capsys.readouterr().out
        json.loads(text, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
