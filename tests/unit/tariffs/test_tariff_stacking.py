"""Stacking rules S1-S6 on synthetic slots (numbers by hand)."""

import numpy as np
import pytest

from tradepact.tariffs import TariffError, apply_stacking
from tradepact.tariffs.stacking import Slot


def s(lvl, cov=1.0):
    return Slot(np.array([[lvl]], dtype=float), np.array([[cov]], dtype=float))


def test_s4_section_232_excludes_reciprocal():
    out = apply_stacking({("s232", "autos"): s(0.25), ("ieepa_recip", "general"): s(0.15),
                          ("mfn", "general"): s(0.025)}, (1, 1))
    assert out.total[0, 0] == pytest.approx(0.275)
    assert out.rates["ieepa_recip"][0, 0] == 0.0


def test_floor_at_zero_still_excludes_reciprocal():
    # all-in 15 % on a line whose column 1 is 25 %: the s232 slot is 0 but covers the article
    out = apply_stacking({("s232", "autos"): s(0.0), ("ieepa_recip", "general"): s(0.0),
                          ("mfn", "general"): s(0.25)}, (1, 1))
    assert out.total[0, 0] == pytest.approx(0.25)


def test_s1_vehicles_before_metals_and_metals_stack():
    out = apply_stacking({("s232", "autos"): s(0.25), ("s232", "steel"): s(0.5)}, (1, 1))
    assert out.rates["s232"][0, 0] == pytest.approx(0.25)
    assert out.s232_programs[out.s232_program[0, 0]] == "autos"
    both = apply_stacking({("s232", "steel"): s(0.5), ("s232", "aluminum"): s(0.5)}, (1, 1))
    assert both.rates["s232"][0, 0] == pytest.approx(1.0)   # EO 14289 sec. 3(c)


def test_s2_border_duty_excludes_metals_on_its_share():
    out = apply_stacking({("s232", "steel"): s(0.5), ("ieepa_fent", "mex"): s(0.25, 0.2)}, (1, 1))
    assert out.rates["s232"][0, 0] == pytest.approx(0.5 * 0.8)
    assert out.rates["ieepa_fent"][0, 0] == pytest.approx(0.25 * 0.2)


def test_s3_vehicles_exclude_border_duty_but_not_chinas():
    out = apply_stacking({("s232", "autos"): s(0.25), ("ieepa_fent", "can"): s(0.35),
                          ("ieepa_fent", "chn"): s(0.2)}, (1, 1))
    assert out.rates["ieepa_fent"][0, 0] == pytest.approx(0.2)


def test_s5_section_232_excludes_section_122():
    out = apply_stacking({("s232", "steel"): s(0.5), ("s122", "general"): s(0.1),
                          ("s301", "lists"): s(0.25)}, (1, 1))
    assert out.total[0, 0] == pytest.approx(0.75)


def test_additive_method_and_unknown_method():
    out = apply_stacking({("s232", "autos"): s(0.25), ("ieepa_recip", "general"): s(0.15)}, (1, 1),
                         method="additive")
    assert out.total[0, 0] == pytest.approx(0.40)
    with pytest.raises(TariffError, match="stacking method"):
        apply_stacking({}, (1, 1), method="max")
