"""Code health: the whole shipped tree loads, is cited and is consistent."""

from pathlib import Path

import pytest

from tradepact.core.parameters import POLICY_ROOT, load_parameters
from tradepact.core.scenario import SCENARIO_ROOT, shipped_scenario, shipped_scenarios
from tradepact.resolve import resolve

TREE = load_parameters(POLICY_ROOT)


def test_every_parameter_value_is_cited_and_dated():
    params = list(TREE.walk())
    assert len(params) > 30
    for p in params:
        assert p.values, p.path
        for dv in p.values:
            assert dv.references, f"{p.path} {dv.start}"
            if dv.status in ("assumption", "derived"):
                assert dv.note, f"{p.path} {dv.start}"


def test_no_tabs_and_yaml_suffix_only():
    for path in list(POLICY_ROOT.rglob("*")) + list(SCENARIO_ROOT.rglob("*")):
        if path.is_file() and path.suffix in (".yaml", ".yml"):
            assert path.suffix == ".yaml", path
            assert "\t" not in path.read_text(), path


def test_every_folder_is_documented():
    for folder in [POLICY_ROOT, *[p for p in POLICY_ROOT.rglob("*") if p.is_dir()]]:
        if any(folder.glob("*.yaml")) and folder.name != "__pycache__":
            assert (folder / "index.yaml").exists(), folder


@pytest.mark.parametrize("name", shipped_scenarios())
def test_shipped_scenarios_resolve_and_cite_every_input(name):
    r = resolve(shipped_scenario(name))
    for use in r.provenance:
        assert use.references, use.path


def test_shipbuilding_shares_add_up_to_one():
    node = TREE.get("assumptions.instruments.shipbuilding")
    total = sum(p.at("2025-11-14") for p in node.walk() if p.path.endswith("_share"))
    assert total == pytest.approx(1.0)


def test_no_inline_product_or_partner_lists_in_parameter_files():
    for path in POLICY_ROOT.rglob("*.yaml"):
        text = path.read_text()
        assert "hs_codes:" not in text and "partners: [" not in text, path


def test_shared_data_never_copied():
    repo = Path(__file__).resolve().parents[2]
    names = {"hts_2025_basic_edition.csv", "mfn_rates_2025.csv", "hs10_gtap_crosswalk.csv"}
    found = [p for p in repo.rglob("*.csv") if p.name in names and ".venv" not in p.parts]
    assert not found
