"""``tradepact schema`` and ``tradepact scenarios``: the scenario format and the shipped scenarios."""

from __future__ import annotations

import json

import click

@click.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of the scenario file format."""
    from ...core.scenario import scenario_json_schema
    click.echo(json.dumps(scenario_json_schema(), indent=2))


@click.group("scenarios")
def scenarios_cmd() -> None:
    """List or print the shipped scenarios."""


@scenarios_cmd.command("list")
def scenarios_list() -> None:
    """List the shipped scenarios."""
    from ...core.scenario import shipped_scenarios
    for name in shipped_scenarios():
        click.echo(name)


@scenarios_cmd.command("show")
@click.argument("name")
def scenarios_show(name: str) -> None:
    """Print a shipped scenario file (a starting point for your own)."""
    from ...core.errors import Location, with_value
    from ...core.scenario import SCENARIO_ROOT, shipped_scenarios
    if name not in shipped_scenarios():
        raise with_value("unknown scenario", location=Location(field="NAME"), value=name,
                         expected="one of " + ", ".join(shipped_scenarios()))
    click.echo((SCENARIO_ROOT / f"{name}.yaml").read_text(encoding="utf-8"), nl=False)
