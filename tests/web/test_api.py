"""The JSON API against the CLI's JSON, published figures and its limits."""

import json
import threading
import time
from pathlib import Path

import pytest

from tradepact.interfaces.cli import main

SCENARIO_ROOT = Path(__file__).resolve().parents[2] / "src" / "tradepact" / "scenarios"


def cli_json(capsys, *args):
    capsys.readouterr()
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def same(a, b, path="$"):
    """Equal documents, floats to 1e-12 (a parallel sum may differ in its last digit)."""
    if isinstance(a, dict) and isinstance(b, dict):
        assert a.keys() == b.keys(), path
        for k in a:
            same(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-12, abs=1e-12), path
    else:
        assert a == b, path


def assert_error(r, status, field=None):
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error", "field"}
    assert "Traceback" not in body["error"]
    if field is not None:
        assert body["field"] == field
    return body


# ---------------------------------------------------------------- reads
def test_health_counts_the_shipped_scenarios(client):
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"
    assert r.json()["scenarios"] == len(list(SCENARIO_ROOT.rglob("*.yaml")))


def test_scenarios_lists_names_and_titles(client):
    items = client.get("/api/v1/scenarios").json()["scenarios"]
    names = {i["name"] for i in items}
    assert names == {p.relative_to(SCENARIO_ROOT).with_suffix("").as_posix() for p in SCENARIO_ROOT.rglob("*.yaml")}
    final = next(i for i in items if i["name"] == "us_kr_2025/final")
    assert final["title"].startswith("Final deal")
    assert (final["investor"], final["host"]) == ("KOR", "USA")


def test_params_is_the_cli_document_without_the_server_path(client, capsys):
    path = "kr.macro.exchange_rate_krw_per_usd"
    expected = cli_json(capsys, "params", "show", path, "--at", "2025-11-14", "--json")
    got = client.get(f"/api/v1/params/{path}", params={"at": "2025-11-14"}).json()
    expected.pop("file")
    assert got == expected


def test_params_errors_name_the_field(client):
    assert_error(client.get("/api/v1/params/kr.macro"), 400, "path")
    assert_error(client.get("/api/v1/params/kr.macro.fx_reserves_usd_bn", params={"at": "14/11/2025"}), 400, "at")
    body = assert_error(client.get("/api/v1/params/no.such.thing"), 400)
    assert "no.such.thing" in body["error"]


def test_params_search_finds_by_words(client):
    hits = client.get("/api/v1/params", params={"q": "reserves"}).json()["parameters"]
    assert "kr.macro.fx_reserves_usd_bn" in [h["path"] for h in hits]


# ---------------------------------------------------------------- tariffs
def test_tariff_rate_is_the_cli_document(client, capsys):
    expected = cli_json(capsys, "tariffs", "rate", "--partner", "KOR", "--hs", "870323", "--date", "2025-10-01", "--json")
    assert client.get("/api/v1/tariffs/rate", params={"partner": "KOR", "hs": "870323", "date": "2025-10-01"}).json() == expected


def test_what_the_server_keeps_is_out_of_the_collectors_rounds(client, web_app):
    # A full collection walks every object it tracks; the engines and results the
    # server keeps for its life are frozen once built, so a collection under load
    # does not walk them again (it stalled every request in flight by tens of ms).
    import gc
    client.get("/api/v1/tariffs/rate", params={"partner": "KOR", "hs": "870323", "date": "2025-10-01"})
    engine = web_app.state.web.engine()
    assert gc.is_tracked(engine)
    assert not any(o is engine for o in gc.get_objects())     # tracked, but in no generation: frozen
    assert gc.get_freeze_count() > 0


@pytest.mark.parametrize("date,rate", [
    # Proclamation 10908: 25 % on passenger vehicles from 2025-04-03; KORUS leaves no MFN duty.
    ("2025-10-01", 0.25),
    # FR Doc 2025-21940 (90 FR 55964, 4 Dec 2025): Korean autos 15 % all-inclusive, retroactive to 2025-11-01.
    ("2025-11-14", 0.15),
])
def test_korean_cars_pay_the_published_rate(client, date, rate):
    r = client.get("/api/v1/tariffs/rate", params={"partner": "KOR", "hs": "870323", "date": date}).json()
    assert r["total_rate"] == pytest.approx(rate, abs=1e-9)
    assert r["references"], "a rate comes with its sources"


def test_etr_is_the_cli_document(client, capsys):
    expected = cli_json(capsys, "tariffs", "etr", "--date", "2025-10-01", "--by", "sector", "--json")
    same(client.get("/api/v1/tariffs/etr", params={"date": "2025-10-01", "by": "sector"}).json(), expected)


def test_tariff_errors(client):
    assert_error(client.get("/api/v1/tariffs/rate", params={"partner": "KOR", "hs": "870323", "date": "2025-13-01"}), 400, "date")
    assert_error(client.get("/api/v1/tariffs/etr", params={"date": "2025-10-01", "by": "colour"}), 400, "by")
    assert_error(client.get("/api/v1/tariffs/rate", params={"partner": "KOR", "hs": "870323"}), 422, "date")


def test_hs_search_by_number_and_words(client):
    import polars as pl

    from tradepact.io.shipped import hts_lines
    codes = set(hts_lines().filter(pl.col("code").str.starts_with("870323"))["code"].to_list())
    got = client.get("/api/v1/tariffs/hs", params={"q": "870323", "limit": 200}).json()
    assert {x["code"] for x in got["lines"]} == codes
    words = client.get("/api/v1/tariffs/hs", params={"q": "golf carts"}).json()["lines"]
    assert words and all("golf carts" in x["description"].lower() for x in words)


def test_timeline_by_partner(client):
    rows = client.get("/api/v1/tariffs/timeline").json()["rows"]
    kor = [r for r in rows if r["partner"] == "KOR" and r["case"] == "with_deal"]
    assert kor and all(0 <= r["etr"] < 1 for r in kor if r["etr"] is not None)


# ---------------------------------------------------------------- assess
def test_assess_is_the_cli_document(client, capsys):
    expected = cli_json(capsys, "assess", "--scenario", "us_kr_2025/final", "--json", "--no-report")
    got = client.post("/api/v1/assess", json={"scenarios": ["us_kr_2025/final"]}).json()
    same(got, expected)


def test_assess_from_yaml_text_sees_the_changed_parameter(client):
    text = ("name: user/slow\ntitle: Slower cash\nbase: us_kr_2025/final\nas_of: 2025-11-14\n"
            "parameters:\n  deals.us_kr_2025.cash.annual_cap_usd_bn: 10\n")
    doc = client.post("/api/v1/assess", json={"scenario_yaml": text}).json()
    s = doc["scenarios"][0]
    # USD 200 bn of cash at USD 10 bn a year: 20 years of calls at the cap.
    cash_calls = [r["equity_calls_usd_bn"] for r in s["annual"]]
    assert max(cash_calls) == pytest.approx(10.0)
    assert sum(c > 1e-9 for c in cash_calls) == 20


def test_request_yaml_may_not_name_files(client, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("name: x/y\ntitle: TOP-SECRET-CONTENT\n")
    for base in (str(secret), "../../etc/passwd", "/etc/passwd"):
        text = f"name: user/x\ntitle: X\nbase: {base}\nas_of: 2025-11-14\n"
        body = assert_error(client.post("/api/v1/assess", json={"scenario_yaml": text}), 400, "base")
        assert "TOP-SECRET-CONTENT" not in body["error"]
    text = ("name: user/x\ntitle: X\nbase: us_kr_2025/final\nas_of: 2025-11-14\nuncertainty:\n"
            f"  kr.macro.exchange_rate_krw_per_usd:\n    dist: empirical\n    file: {secret}\n")
    body = assert_error(client.post("/api/v1/assess", json={"scenario_yaml": text}), 400)
    assert "TOP-SECRET-CONTENT" not in body["error"]


def test_assess_errors(client):
    assert_error(client.post("/api/v1/assess", json={"scenarios": ["us_kr_2025/nope"]}), 400, "scenarios")
    assert_error(client.post("/api/v1/assess", json={"scenarios": ["src/tradepact/scenarios/us_kr_2025/final.yaml"]}),
                 400, "scenarios")
    assert_error(client.post("/api/v1/assess", json={}), 400, "scenarios")
    assert_error(client.post("/api/v1/assess", json={"scenarios": ["us_kr_2025/final"], "scenario_yaml": "a: 1"}), 400)
    assert_error(client.post("/api/v1/assess", json={"scenario_yaml": "name: [unclosed\n"}), 400)
    assert_error(client.post("/api/v1/assess", json={"scenarios": ["a"] * 13}), 422, "scenarios")
    assert_error(client.post("/api/v1/assess", content=b"{not json", headers={"Content-Type": "application/json"}), 422)
    assert_error(client.post("/api/v1/assess", json={"scenarios": ["us_kr_2025/final"], "extra": 1}), 422, "extra")


def test_body_limit(client):
    from tradepact.interfaces.web.state import MAX_BODY_BYTES
    big = "x" * (MAX_BODY_BYTES + 10)
    assert_error(client.post("/api/v1/assess", json={"scenario_yaml": big}), 413, "body")


def test_no_cors_headers(client):
    r = client.get("/api/v1/health", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in {k.lower() for k in r.headers}
    r = client.options("/api/v1/assess", headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in {k.lower() for k in r.headers}


# ---------------------------------------------------------------- verdict and designer
def test_verdict_matches_the_assessment_and_the_years_over_capacity(client):
    v = client.post("/api/v1/verdict", json={"scenarios": ["us_kr_2025/final", "us_kr_2025/us_initial"],
                                              "draws": 0, "tornado": False}).json()["scenarios"]
    a = client.post("/api/v1/assess", json={"scenarios": ["us_kr_2025/final", "us_kr_2025/us_initial"]}).json()
    for ver, s in zip(v, a["scenarios"]):
        assert ver["sides"]["investor"]["deal_npv_usd_bn"] == pytest.approx(s["headline"]["deal_npv_investor_usd_bn"])
        assert ver["sides"]["host"]["deal_npv_usd_bn"] == pytest.approx(s["headline"]["deal_npv_host_usd_bn"])
        by_hand = [r["year"] for r in s["annual"]
                   if r["reserve_funded_outflow_usd_bn"] > r["usd_supply_capacity_usd_bn"] + 1e-9]
        assert ver["stress_test"]["failing_years"] == by_hand
        assert ver["stress_test"]["holds"] == (not by_hand)
    assert v[1]["stress_test"]["failing_years"], "the all-cash US demand breaks the capacity"


def test_designer_recomputes_and_its_yaml_assesses_the_same(client):
    # Its speed (< 300 ms) is a benchmark figure (benchmarks/bench_web.py), not a timed test.
    client.post("/api/v1/design", json={"values": {}})            # warm
    d = client.post("/api/v1/design", json={"values": {"annual_cap_usd_bn": 30, "cash_share": 0.5}}).json()
    a = client.post("/api/v1/assess", json={"scenario_yaml": d["yaml"]}).json()["scenarios"][0]
    assert d["verdict"]["sides"]["investor"]["deal_npv_usd_bn"] == pytest.approx(a["headline"]["deal_npv_investor_usd_bn"])
    # half of USD 350 bn in cash, at USD 30 bn a year: 5 full years and USD 25 bn in the sixth.
    calls = [r["equity_calls_usd_bn"] for r in a["annual"] if r["equity_calls_usd_bn"] > 1e-9]
    assert calls == pytest.approx([30, 30, 30, 30, 30, 25])
    assert_error(client.post("/api/v1/design", json={"values": {"cash_share": 2}}), 400, "cash_share")
    assert_error(client.post("/api/v1/design", json={"values": {"guarantee_share": 0.8, "fdi_share": 0.5}}), 400,
                 "fdi_share")


def test_designer_yaml_download(client):
    r = client.get("/designer/scenario.yaml", params={"cash_share": 0.4})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    import yaml
    doc = yaml.safe_load(r.text)
    cash = next(t for t in doc["tranches"] if t["name"] == "cash")
    assert cash["amount_usd_bn"] == pytest.approx(0.4 * 350)


# ---------------------------------------------------------------- jobs
def wait(client, job_id, timeout=120):
    t0 = time.time()
    while time.time() - t0 < timeout:
        j = client.get(f"/api/v1/jobs/{job_id}").json()
        if j["state"] in ("done", "failed"):
            return j
        time.sleep(0.1)
    raise AssertionError("job did not finish")


def test_simulate_job_is_the_cli_document(client, capsys):
    r = client.post("/api/v1/simulate", json={"scenarios": ["us_kr_2025/final"], "draws": 300, "seed": 7})
    assert r.status_code == 202
    j = wait(client, r.json()["id"])
    assert j["state"] == "done" and j["progress"] == {"done": 300, "total": 300}
    expected = cli_json(capsys, "simulate", "--scenario", "us_kr_2025/final", "--draws", "300", "--seed", "7",
                        "--json", "--no-progress")
    same(j["result"], expected)


def test_job_events_stream(client):
    r = client.post("/api/v1/simulate", json={"scenarios": ["us_kr_2025/final"], "draws": 100})
    jid = r.json()["id"]
    with client.stream("GET", f"/api/v1/jobs/{jid}/events") as s:
        text = "".join(s.iter_text())
    assert "event: done" in text
    last = json.loads(text.strip().split("data: ")[-1])
    assert last["state"] == "done"


def test_zopa_job_places_the_proposals(client, capsys):
    r = client.post("/api/v1/zopa", json={"refine": 0, "proposals": ["us_kr_2025/final"]})
    j = wait(client, r.json()["id"])
    assert j["state"] == "done"
    expected = cli_json(capsys, "zopa", "--refine", "0", "--proposal", "us_kr_2025/final", "--json", "--no-progress")
    same(j["result"], expected)


def test_job_limits(client, web_app):
    assert_error(client.post("/api/v1/simulate", json={"scenarios": ["us_kr_2025/final"], "draws": 10**9}), 422, "draws")
    assert_error(client.post("/api/v1/zopa", json={"base": "../x"}), 400, "base")
    assert_error(client.get("/api/v1/jobs/nope"), 404, "job_id")
    jobs = web_app.state.web.jobs
    gate = threading.Event()
    held = [jobs.submit("test", lambda progress: gate.wait(30)) for _ in range(jobs.max_jobs)]
    try:
        r = client.post("/api/v1/simulate", json={"scenarios": ["us_kr_2025/final"], "draws": 10})
        assert_error(r, 429)
    finally:
        gate.set()
    for h in held:
        wait(client, h.id)


# ---------------------------------------------------------------- pages, docs, offline
PAGES = ["/", "/designer", "/tariffs", "/negotiation", "/sources", "/docs", "/?lang=ko"]


@pytest.mark.parametrize("page", PAGES)
def test_pages_load_nothing_from_elsewhere(client, page):
    import re
    r = client.get(page)
    assert r.status_code == 200
    for url in re.findall(r'(?:src|href)="([^"]+)"', r.text):
        assert not url.startswith(("http:", "https:", "//")), url
        if url.startswith("/") and not url.startswith("/docs"):
            assert client.get(url.split("?")[0]).status_code == 200, url


def test_openapi_lists_every_endpoint(client):
    paths = set(client.get("/openapi.json").json()["paths"])
    for p in ("/api/v1/health", "/api/v1/scenarios", "/api/v1/assess", "/api/v1/params/{path}",
              "/api/v1/tariffs/rate", "/api/v1/tariffs/etr", "/api/v1/simulate", "/api/v1/zopa",
              "/api/v1/jobs/{job_id}", "/api/v1/jobs/{job_id}/events"):
        assert p in paths


def test_overview_opens_with_the_verdict_and_plain_names(client):
    html = client.get("/").text
    assert html.index('class="verdict"') < html.index("Headline figures")
    assert "Final deal (MOU of 14 November 2025)" in html
    assert "us_kr_2025/final" not in html.replace('data-scenario="us_kr_2025/final"', "")
    assert "KRW" in html
    assert "판정" in client.get("/?lang=ko").text
