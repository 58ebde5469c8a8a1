"""Rebuilding the shipped data from ../shared/data/raw gives byte-identical files."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tradepact.io import shipped

REPO = Path(__file__).resolve().parents[3]
RAW = REPO.parent / "shared" / "data" / "raw"


@pytest.mark.skipif(not (RAW / "tariff-rate-tracker").is_dir(), reason="../shared/data/raw is not present")
def test_rebuild_gives_the_manifest_hashes(tmp_path):
    out = tmp_path / "data"
    subprocess.run([sys.executable, str(REPO / "scripts" / "build_data.py"), "--raw", str(RAW),
                    "--out", str(out)], check=True, capture_output=True, timeout=300)
    shipped_manifest = json.loads((shipped.DATA_ROOT / "manifest.json").read_text())
    rebuilt = json.loads((out / "manifest.json").read_text())
    assert rebuilt == shipped_manifest
    for name, o in shipped_manifest["outputs"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == o["sha256"], name
    for o in shipped_manifest["outputs"].values():          # the raw inputs are those recorded
        for i in o["inputs"]:
            assert hashlib.sha256((RAW / i["path"]).read_bytes()).hexdigest() == i["sha256"]


def test_missing_raw_folder_exits_2(tmp_path):
    r = subprocess.run([sys.executable, str(REPO / "scripts" / "build_data.py"), "--raw",
                        str(tmp_path / "nope"), "--out", str(tmp_path / "out")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert "missing" in r.stderr and not (tmp_path / "out").exists()
