"""Load test of the web API on loopback: latency percentiles, errors and server memory.

Starts ``tradepact serve``'s app in a child process on 127.0.0.1 (a free
port), warms it, then runs, bounded in time and clients:

1. ``GET /api/v1/tariffs/rate`` from 50 concurrent clients for 20 s, over a
   few partner × HS × date cells (target: p99 < 100 ms, 0 errors);
2. ``POST /api/v1/assess`` for the shipped final deal, 10 clients for 10 s
   (target: p99 < 1 s, 0 errors);
3. ``POST /api/v1/assess`` with the final deal's YAML text (a full
   recompute each time: no cache), 4 clients for 10 s, for context.

Latency is measured by the clients (which share this machine's cores with
the server) and, from each response's ``Server-Timing`` header, inside the
server (request in to response out). The clients are a lean load generator
(:class:`_Connection`: keep-alive HTTP/1.1 on asyncio streams, a closed loop
per client), so that the server, not the generator, is what saturates: with
httpx's client, 50 connections cost a whole core and the figures were the
generator's own queue (300 requests/s, p99 0.8 s, the server 13 % busy). The server's resident memory (VmRSS) is sampled every 0.5 s; "flat" means it
ends within 10 % (or 50 MB) of where it stood after the warm-up.
Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

CELLS = [("KOR", "870323", "2025-10-01"), ("KOR", "870323", "2025-11-14"), ("JPN", "870323", "2025-10-01"),
         ("KOR", "8708", "2025-12-01"), ("CHN", "850760", "2025-06-01"), ("DEU", "7208", "2025-08-01")]
FINAL_YAML = (Path(__file__).resolve().parents[1] / "src" / "tradepact" / "scenarios" / "us_kr_2025"
              / "final.yaml")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class _Sampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.samples, self.stop = pid, [], threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.samples.append((time.time(), _rss_mb(self.pid)))
            self.stop.wait(0.5)


class _Connection:
    """One keep-alive HTTP/1.1 connection of the load generator: a request's
    bytes out, the status and headers back, the body read and dropped.

    The clients share this machine's two cores with the server, so they must
    cost little: a general HTTP client (httpx) spends about 1 ms of CPU per
    request with 50 connections, and then measures its own queue, not the
    server. This one does no more than the protocol needs."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> "_Connection":
        return cls(*await asyncio.open_connection("127.0.0.1", port))

    async def send(self, raw: bytes) -> tuple[int, dict[str, str]]:
        self.writer.write(raw)
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, v in (h.split(":", 1) for h in head[1:] if h)}
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                await self.reader.readexactly(size + 2)          # the chunk and its CRLF
                if size == 0:
                    break
        if headers.get("connection") == "close":
            raise ConnectionError("the server closed the connection")
        return status, headers

    def close(self) -> None:
        self.writer.close()


def _get(port: int, path: str, params: dict[str, str]) -> bytes:
    from urllib.parse import urlencode
    return f"GET {path}?{urlencode(params)} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()


def _post_json(port: int, path: str, body: Any) -> bytes:
    data = json.dumps(body).encode()
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(data)}\r\n\r\n").encode() + data


async def _load(port: int, clients: int, seconds: float, request: Callable[[int], bytes]) -> dict:
    """``clients`` connections, each sending ``request(i)`` and waiting for the answer
    before the next (a closed loop), for ``seconds``; latency is from the request's
    first byte out to the response's last byte in."""
    lat, server, errors = [], [], 0
    deadline = time.perf_counter() + seconds

    async def worker(k: int) -> None:
        nonlocal errors
        conn = await _Connection.open(port)
        i = k
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            try:
                status, headers = await conn.send(request(i))
                ok = status == 200
                timing = headers.get("server-timing", "")
                if "dur=" in timing:
                    server.append(float(timing.split("dur=")[1]))
            except (OSError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                ok = False
                conn.close()
                conn = await _Connection.open(port)
            lat.append(time.perf_counter() - t0)
            errors += not ok
            i += clients
        conn.close()
    await asyncio.gather(*(worker(k) for k in range(clients)))
    a = np.array(lat) * 1000
    return {"clients": clients, "seconds": seconds, "requests": int(a.size), "errors": int(errors),
            "rps": round(a.size / seconds, 1), "p50_ms": round(float(np.percentile(a, 50)), 1),
            "p95_ms": round(float(np.percentile(a, 95)), 1), "p99_ms": round(float(np.percentile(a, 99)), 1),
            "max_ms": round(float(a.max()), 1),
            "server_p50_ms": round(float(np.percentile(server, 50)), 2) if server else None,
            "server_p99_ms": round(float(np.percentile(server, 99)), 2) if server else None}


def main(rate_clients: int = 50, rate_seconds: float = 20.0, assess_clients: int = 10,
         assess_seconds: float = 10.0) -> dict:
    import httpx
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    code = ("import uvicorn; from tradepact.interfaces.web.app import create_app; "
            f"uvicorn.run(create_app(verdict_draws=1000), host='127.0.0.1', port={port}, log_level='warning')")
    proc = subprocess.Popen([sys.executable, "-c", code], env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        t0 = time.time()
        while True:
            try:
                if httpx.get(base + "/api/v1/health", timeout=2, trust_env=False).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.time() - t0 > 180 or proc.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)
        warm = time.time()
        for p, h, d in CELLS:
            httpx.get(base + "/api/v1/tariffs/rate", params={"partner": p, "hs": h, "date": d}, timeout=120,
                      trust_env=False)
        httpx.post(base + "/api/v1/assess", json={"scenarios": ["us_kr_2025/final"]}, timeout=300, trust_env=False)
        text = FINAL_YAML.read_text(encoding="utf-8")
        httpx.post(base + "/api/v1/assess", json={"scenario_yaml": text}, timeout=300, trust_env=False)
        warm_s = time.time() - warm
        sampler = _Sampler(proc.pid)
        sampler.start()
        rss0 = _rss_mb(proc.pid)

        body = {"scenarios": ["us_kr_2025/final"]}
        by_yaml = _post_json(port, "/api/v1/assess", {"scenario_yaml": text})

        def rate(i: int) -> bytes:
            p, h, d = CELLS[i % len(CELLS)]
            return _get(port, "/api/v1/tariffs/rate", {"partner": p, "hs": h, "date": d})

        out = {"startup_and_warm_s": round(warm - t0 + warm_s, 1),
               "tariffs_rate": asyncio.run(_load(port, rate_clients, rate_seconds, rate)),
               "assess_final": asyncio.run(_load(port, assess_clients, assess_seconds,
                                                 lambda i: _post_json(port, "/api/v1/assess", body))),
               "assess_yaml_recompute": asyncio.run(_load(port, 4, assess_seconds, lambda i: by_yaml))}
        sampler.stop.set()
        sampler.join()
        rss = [m for _, m in sampler.samples]
        end = rss[-1]
        out["server_rss_mb"] = {"after_warmup": round(rss0, 1), "max": round(max(rss), 1), "end": round(end, 1),
                                "flat": bool(end - rss0 <= max(0.10 * rss0, 50.0))}
        out["targets_met"] = {
            "tariffs_rate_p99_under_100ms": out["tariffs_rate"]["p99_ms"] < 100 and out["tariffs_rate"]["errors"] == 0,
            "assess_p99_under_1s": out["assess_final"]["p99_ms"] < 1000 and out["assess_final"]["errors"] == 0,
            "memory_flat": out["server_rss_mb"]["flat"]}
        for k, v in out.items():
            print(f"{k}: {v}")
        return out
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
