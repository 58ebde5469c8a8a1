"""The ``evidence`` command group: JSON contracts, per-file errors, exit codes."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from tradepact.interfaces.evidence_cli import evidence

from .conftest import FIXTURES

EXTRACT_KEYS = {"file", "title", "publisher", "published", "text_chars", "claims"}
CLAIM_KEYS = {"kind", "value", "unit", "partner", "scope", "attributed_to", "quote", "char_span"}
LIST_KEYS = {"id", "file", "title", "publisher", "published", "sha256", "claims"}


def _run(*args):
    return CliRunner().invoke(evidence, list(args))


def test_extract_json_contract():
    path = str(FIXTURES / "units.txt")
    res = _run("extract", path, "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert list(data) == ["documents"]
    (doc,) = data["documents"]
    assert set(doc) == EXTRACT_KEYS
    assert doc["file"] == path  # the path as given
    assert doc["text_chars"] == len((FIXTURES / "units.txt").read_text())
    assert doc["claims"] and all(set(c) == CLAIM_KEYS for c in doc["claims"])
    pledge = next(c for c in doc["claims"] if c["kind"] == "pledge_total")
    assert pledge["value"] == 350.0 and pledge["unit"] == "usd_bn"


def test_ingest_then_list_json_contract(tmp_path):
    store = str(tmp_path / "s.db")
    res = _run("ingest", str(FIXTURES / "units.txt"), str(FIXTURES / "page.html"),
               "--store", store, "--json")
    assert res.exit_code == 0, res.output
    assert len(json.loads(res.output)["added"]) == 2
    res = _run("list", "--store", store, "--json")
    docs = json.loads(res.output)["documents"]
    assert [set(d) for d in docs] == [LIST_KEYS, LIST_KEYS]
    assert sorted(d["claims"] for d in docs) == [4, 6]
    assert all(len(d["sha256"]) == 64 for d in docs)


def test_failed_files_are_named_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    for name in ("units.txt", "binary.txt", "empty.txt", "undecodable.txt", "broken.html",
                 "latin1.txt"):
        shutil.copy(FIXTURES / name, folder / name)
    store = str(tmp_path / "s.db")
    res = _run("ingest", str(folder), str(tmp_path / "missing.txt"), "--store", store, "--json")
    assert res.exit_code == 1
    out = json.loads(res.stdout)
    failed = {f["file"].rsplit("/", 1)[-1]: f["error"] for f in out["failed"]}
    assert set(failed) == {"binary.txt", "empty.txt", "undecodable.txt", "broken.html", "missing.txt"}
    assert "binary" in failed["binary.txt"]
    assert "empty" in failed["empty.txt"]
    assert "encoding" in failed["undecodable.txt"]
    assert "no article text" in failed["broken.html"]
    assert "no such file" in failed["missing.txt"]
    for name in failed:
        assert name in res.stderr
    # the good files were stored (the cp1252 page decodes; it has no claim)
    assert {a["file"].rsplit("/", 1)[-1] for a in out["added"]} == {"units.txt", "latin1.txt"}
    # errors are one paragraph and never echo the file's contents
    assert all("\n" not in e for e in failed.values())
    assert "Korea" not in failed["undecodable.txt"]


def test_store_errors_exit_2(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database" * 100)
    res = _run("list", "--store", str(bad))
    assert res.exit_code == 2
    assert res.stderr.startswith("error: ") and str(bad) in res.stderr
    res = _run("list", "--store", str(tmp_path / "none.db"))
    assert res.exit_code == 2 and "does not exist" in res.stderr


def test_timeline_and_check_run_on_the_shipped_store():
    res = _run("timeline", "--kind", "cash_annual", "--partner", "KOR", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["final"]["path"] == "deals.us_kr_2025.cash.annual_cap_usd_bn"
    res = _run("check", "--json")
    assert res.exit_code == 0, res.output
    paths = {p["path"] for p in json.loads(res.output)["parameters"]}
    assert "deals.us_kr_2025.pledge_usd_bn" in paths
    res = _run("timeline", "--kind", "cash_yearly")
    assert res.exit_code == 2 and "unknown claim kind" in res.stderr
