"""Scale-out on Dask: a LocalCluster of 2 worker processes gives results identical
to the single-process run for the same seed (Monte Carlo and design sweeps), through
the Python API (``client=``) and the CLI (``--scheduler ADDRESS``)."""

import json

import numpy as np
import pytest

distributed = pytest.importorskip("distributed")

from tradepact.interfaces.cli import main  # noqa: E402
from tradepact.studies.simulate import simulate  # noqa: E402
from tradepact.negotiation.design import DesignSpace
from tradepact.studies.zopa import find_zopa  # noqa: E402

UNCERTAIN = "us_kr_2025/final_uncertain"


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as lc, distributed.Client(lc) as client:
        yield lc, client


def _same(a, b):
    assert a.keys() == b.keys()
    for k in a:
        assert np.array_equal(a[k], b[k], equal_nan=True), k


def test_simulate_on_two_workers_equals_the_single_process_run(cluster):
    _, client = cluster
    one = simulate(UNCERTAIN, 2000, seed=11, chunk_size=500, workers=1)
    with distributed.get_task_stream(client) as stream:
        two = simulate(UNCERTAIN, 2000, seed=11, chunk_size=500, client=client)
    # The four chunks of 500 draws ran as tasks on the cluster's two workers.
    ran = [t for t in stream.data if t["key"].startswith("run_chunk")]
    assert len(ran) == 4
    assert {t["worker"] for t in ran} <= set(client.scheduler_info()["workers"])
    assert len(client.scheduler_info()["workers"]) == 2
    _same(one.inputs, two.inputs)
    _same(one.headline, two.headline)
    _same(one.annual, two.annual)
    assert np.array_equal(one.over_capacity_any, two.over_capacity_any)
    assert one.probabilities == two.probabilities


def test_streamed_simulation_on_two_workers_is_bit_identical(cluster):
    """Past the sketches' exact phase, chunks are summarised on the workers and only
    their bin counts and moments come back: the JSON document is byte for byte the
    single-process one (moments merged in draw order, counts are integers)."""
    from tradepact.results.sketch import EXACT_MAX
    _, client = cluster
    n = 3 * EXACT_MAX + 999                       # the last chunk is short
    one = simulate(UNCERTAIN, n, seed=8, chunk_size=EXACT_MAX // 2, keep_draws=False)
    with distributed.get_task_stream(client) as stream:
        two = simulate(UNCERTAIN, n, seed=8, chunk_size=EXACT_MAX // 2, keep_draws=False, client=client)
    summarised = [t for t in stream.data if t["key"].startswith("summarise_chunk")]
    # 7 chunks: 0 and 1 bring the sketches to EXACT_MAX values and set the grids here
    # (more draws are to come); the other 5 ran on the workers
    assert len(summarised) == 5
    assert one.stream.n == two.stream.n == n
    assert json.dumps(one.to_dict(), sort_keys=True) == json.dumps(two.to_dict(), sort_keys=True)


def test_design_sweep_on_two_workers_equals_the_single_process_run(cluster):
    _, client = cluster
    space = DesignSpace({"cash_share": (0.0, 1.0), "annual_cap_usd_bn": (10.0, 30.0)},
                        {"years": 3.0, "guarantee_share": 0.25, "investor_share_before_recoup": 0.5,
                         "investor_share_after_recoup": 0.1})
    kw = dict(space=space, grid={"cash_share": [0.0, 0.5, 1.0], "annual_cap_usd_bn": [10.0, 20.0, 30.0]},
              proposals=("us_kr_2025/final",), n_draws=600, seed=4, chunk_draws=150, refine=2, maxiter=8)
    one = find_zopa(UNCERTAIN, workers=1, **kw)
    two = find_zopa(UNCERTAIN, client=client, **kw)
    for f in ("investor", "host", "over_capacity_probability", "schedule_fits"):
        assert np.array_equal(getattr(one.payoffs, f), getattr(two.payoffs, f)), f
    assert one.to_dict() == two.to_dict()        # frontier, Nash point and proposals too


def _cli_json(args, capsys):
    assert main(args) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_scheduler_option_gives_the_same_output(cluster, capsys):
    lc, _ = cluster
    sim = ["simulate", "--scenario", "us_kr_2025/final", "--draws", "600", "--chunk", "200", "--seed", "3",
           "--json", "--no-progress"]
    assert _cli_json(sim + ["--scheduler", lc.scheduler_address], capsys) == _cli_json(sim, capsys)
    zopa = ["zopa", "--json", "--no-progress", "--draws", "300", "--seed", "3", "--refine", "0",
            "--proposal", "us_kr_2025/final", "--fix", "years=3", "--fix", "guarantee_share=0.25",
            "--fix", "investor_share_after_recoup=0.1", "--fix", "investor_share_before_recoup=0.5"]
    assert _cli_json(zopa + ["--scheduler", lc.scheduler_address], capsys) == _cli_json(zopa, capsys)
