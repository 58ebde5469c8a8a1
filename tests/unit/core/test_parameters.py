"""The strict parameter loader and dated values."""

import datetime as dt
import textwrap

import pytest

from tradepact.core.dates import Interval
from tradepact.core.errors import InputFileError, ParameterError
from tradepact.core.parameters import load_parameters
from tradepact.core.references import Reference

REF = """\
        reference:
          - title: T
            href: https://example.org/a
            publisher: P
            date: 2025-01-01
            pinpoint: table 1
"""


def write(tmp_path, name, body):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(body))
    return path


def param(values, unit="usd_bn", name="x_usd_bn", extra=""):
    return f"description: d\nmetadata:\n  unit: {unit}\n{extra}values:\n{values}"


def v(date, value):
    return f"  {date}:\n    value: {value}\n" + textwrap.indent(textwrap.dedent(REF), "    ")


def test_step_function_and_null_end(tmp_path):
    write(tmp_path, "a/x_usd_bn.yaml", param(v("2025-01-01", 1) + v("2025-06-01", 2) + v("2026-01-01", "null")))
    p = load_parameters(tmp_path).parameter("a.x_usd_bn")
    assert p.at("2025-01-01") == 1 and p.at("2025-05-31") == 1 and p.at("2025-06-01") == 2
    with pytest.raises(ParameterError, match="ended on 2026-01-01"):
        p.at("2026-02-01")
    with pytest.raises(ParameterError, match="starts on 2025-01-01"):
        p.at("2024-12-31")


def test_duplicate_date_names_both_lines(tmp_path):
    write(tmp_path, "x_usd_bn.yaml", param(v("2025-01-01", 1) + v("2025-01-01", 2)))
    with pytest.raises(InputFileError, match=r"x_usd_bn.yaml:13: duplicate key '2025-01-01' \(first on line 5\)"):
        load_parameters(tmp_path)


def test_dates_out_of_order(tmp_path):
    write(tmp_path, "x_usd_bn.yaml", param(v("2025-06-01", 1) + v("2025-01-01", 2)))
    with pytest.raises(ParameterError, match="x_usd_bn.yaml:13, field 'values.2025-01-01': dates are out of order"):
        load_parameters(tmp_path)


def test_unknown_key_is_an_error_with_line(tmp_path):
    write(tmp_path, "x_usd_bn.yaml", param(v("2025-01-01", 1), extra="  uprating: cpi\n"))
    with pytest.raises(ParameterError, match=r"x_usd_bn.yaml:4, field 'metadata.uprating': unknown key"):
        load_parameters(tmp_path)


def test_missing_reference_is_an_error(tmp_path):
    write(tmp_path, "x_usd_bn.yaml", param("  2025-01-01:\n    value: 1\n"))
    with pytest.raises(ParameterError, match="field 'values.2025-01-01.reference': required key is missing"):
        load_parameters(tmp_path)


def test_value_must_fit_unit(tmp_path):
    write(tmp_path, "y_share.yaml", param(v("2025-01-01", 50), unit="fraction"))
    with pytest.raises(ParameterError, match=r"found 50\).*a number from 0 to 1"):
        load_parameters(tmp_path)


def test_name_and_unit_must_agree(tmp_path):
    write(tmp_path, "x_usd_bn.yaml", param(v("2025-01-01", 0.5), unit="fraction"))
    with pytest.raises(ParameterError, match="unit does not match the parameter name"):
        load_parameters(tmp_path)


def test_unknown_unit(tmp_path):
    write(tmp_path, "x.yaml", param(v("2025-01-01", 1), unit="percent"))
    with pytest.raises(ParameterError, match="unknown unit.*'percent'"):
        load_parameters(tmp_path)


def test_assumption_needs_a_note(tmp_path):
    body = v("2025-01-01", 1).replace("    value: 1\n", "    value: 1\n    status: assumption\n")
    write(tmp_path, "x_usd_bn.yaml", param(body))
    with pytest.raises(ParameterError, match="needs a 'note'"):
        load_parameters(tmp_path)


def test_malformed_yaml_names_line(tmp_path):
    write(tmp_path, "x_usd_bn.yaml", "description: d\nmetadata: [unit\n")
    with pytest.raises(InputFileError, match=r"x_usd_bn.yaml:\d+: is not valid YAML"):
        load_parameters(tmp_path)


def test_bounded_override_restores_the_earlier_value(tmp_path):
    write(tmp_path, "x_usd_bn.yaml", param(v("2025-01-01", 1) + v("2027-01-01", 3)))
    p = load_parameters(tmp_path).parameter("x_usd_bn")
    ref = Reference(title="s", href="https://example.org", publisher="me", date=dt.date(2025, 1, 1),
                    pinpoint="p")
    q = p.overridden(Interval.parse("2025-06-01.2026-01-01"), 2, ref, "test")
    assert [q.at(d) for d in ("2025-05-31", "2025-06-01", "2025-12-31", "2026-01-01", "2027-01-01")] \
        == [1, 2, 2, 1, 3]
    assert q.dated_at("2025-07-01").status == "assumption"


def test_interval_is_half_open():
    i = Interval.parse("2026-01-01.2028-01-01")
    assert i.contains(dt.date(2027, 12, 31)) and not i.contains(dt.date(2028, 1, 1))
    assert not i.overlaps(Interval.parse("2028-01-01"))
    with pytest.raises(ValueError):
        Interval.parse("2026-01-01.2025-01-01")
