"""Run every benchmark present and print its figures (``make bench``)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

BENCHES = ["bench_vehicle", "bench_tariffs", "bench_montecarlo", "bench_zopa"]


def main() -> int:
    results = {}
    for name in BENCHES:
        if not (Path(__file__).parent / f"{name}.py").exists():
            continue
        print(f"== {name}")
        results[name] = importlib.import_module(name).main()
        print()
    return 0 if results else 1


if __name__ == "__main__":
    sys.exit(main())
