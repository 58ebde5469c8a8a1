"""The disk cache of objects built from the package's own files."""

import os
import pickle

import pytest

from tradepact.core import yamlfast
from tradepact.core.errors import ParameterError


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TRADEPACT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def counting(value):
    calls = []

    def build():
        calls.append(1)
        return value
    return build, calls


def test_built_once_then_read(cache):
    build, calls = counting({"a": [1, 2.5, "x"]})
    assert yamlfast.cached_build("thing", build) == {"a": [1, 2.5, "x"]}
    assert yamlfast.cached_build("thing", build) == {"a": [1, 2.5, "x"]}
    assert len(calls) == 1
    assert [p.name for p in cache.glob("thing-*.pickle")] == [f"thing-{yamlfast.package_digest()[:40]}.pickle"]


def test_a_changed_package_is_a_new_entry_and_old_ones_go(cache, monkeypatch):
    build, calls = counting(1)
    digests = [c * 64 for c in "abcdef"]
    for i, d in enumerate(digests):
        monkeypatch.setattr(yamlfast, "package_digest", lambda d=d: d)
        yamlfast.cached_build("thing", build)
        os.utime(cache / f"thing-{d[:40]}.pickle", (1000 + i, 1000 + i))     # written in this order
    assert len(calls) == len(digests)
    kept = sorted(p.name for p in cache.glob("thing-*.pickle"))
    assert kept == [f"thing-{d[:40]}.pickle" for d in digests[-yamlfast.KEEP_VERSIONS:]]


def test_results_keep_the_last_written_and_spare_other_kinds(cache, monkeypatch):
    """The studies' results share the pruning: the MAX_RESULTS written last stay,
    and entries of another kind in the cache's root are not touched."""
    from tradepact.studies import cache as results
    monkeypatch.setattr(results, "MAX_RESULTS", 3)
    yamlfast.cached_build("thing", lambda: 0)
    for i in range(5):
        assert results.cached_object(f"k{i}", lambda i=i: i * 10) == i * 10
        os.utime(cache / "results" / f"k{i}.pickle", (1000 + i, 1000 + i))
    assert sorted(p.name for p in (cache / "results").glob("*.pickle")) == ["k2.pickle", "k3.pickle", "k4.pickle"]
    assert results.cached_object("k4", lambda: -1) == 40          # read back, not recomputed
    assert len(list(cache.glob("thing-*.pickle"))) == 1


def test_off_damaged_and_failing(cache, monkeypatch):
    build, calls = counting(7)
    yamlfast.cached_build("thing", build)
    entry = next(cache.glob("thing-*.pickle"))
    entry.write_bytes(b"not a pickle")
    assert yamlfast.cached_build("thing", build) == 7 and len(calls) == 2       # rebuilt
    assert pickle.loads(entry.read_bytes()) == 7                                 # and rewritten

    def fails():
        raise ParameterError("bad shipped file")
    with pytest.raises(ParameterError):
        yamlfast.cached_build("other", fails)
    assert not list(cache.glob("other-*"))

    monkeypatch.setenv("TRADEPACT_CACHE_DIR", "off")
    yamlfast.cached_build("thing", build)
    assert len(calls) == 3


def test_digest_follows_every_file(tmp_path):
    root = tmp_path / "pkg"
    (root / "sub").mkdir(parents=True)
    (root / "a.py").write_text("x = 1\n")
    (root / "sub" / "p.yaml").write_text("v: 1\n")
    (root / "__pycache__").mkdir()
    digest = yamlfast.package_digest.__wrapped__
    first = digest(root)
    (root / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"compiled")     # compiled caches do not count
    assert digest(root) == first
    (root / "sub" / "p.yaml").write_text("v: 2\n")
    second = digest(root)
    assert second != first
    (root / "sub" / "q.yaml").write_text("")
    assert digest(root) not in (first, second)


def test_shipped_trees_are_the_same_from_the_cache(cache):
    from tradepact.core.parameters import POLICY_ROOT, load_parameters
    from tradepact.resolve.tariff_files import load_tariff_system
    fresh = load_parameters(POLICY_ROOT)
    assert yamlfast.cached_build("parameters", lambda: load_parameters(POLICY_ROOT)) == fresh
    assert yamlfast.cached_build("parameters", lambda: pytest.fail("rebuilt")) == fresh
    system = load_tariff_system()
    yamlfast.cached_build("tariff-system", load_tariff_system)
    again = yamlfast.cached_build("tariff-system", lambda: pytest.fail("rebuilt"))
    assert again.measures.measures == system.measures.measures and again.regimes == system.regimes


def test_a_pickle_of_another_user_is_not_read(cache, monkeypatch):
    build, calls = counting("mine")
    yamlfast.cached_build("thing", build)
    monkeypatch.setattr(yamlfast.os, "getuid", lambda: 12345)          # the entry now belongs to someone else
    assert yamlfast.load_pickle(next(cache.glob("thing-*.pickle"))) is yamlfast.MISSING
