"""``tradepact assess``: scenarios side by side in the terminal, as JSON, and as a report."""

from __future__ import annotations

from pathlib import Path

import click

from . import allow_path_option


@click.command("assess")
@click.option("--scenario", "scenarios", multiple=True, metavar="FILE|NAME",
              help="Scenario file or shipped name; repeatable. Default: the four shipped US–Korea scenarios.")
@click.option("--json", "as_json", is_flag=True, help="Print the assessment as JSON on stdout (no report).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Report folder (default ./tradepact-report).")
@click.option("--no-report", is_flag=True, help="Do not write the report folder.")
@click.option("--excel", is_flag=True, help="Also write the tables as one workbook (assessment.xlsx).")
@click.option("--draws", type=click.IntRange(min=0), default=10_000, show_default=True,
              help="Monte Carlo draws behind the verdict's P(better off) (0: point values only).")
@allow_path_option
def assess_cmd(scenarios: tuple[str, ...], as_json: bool, out: Path | None, no_report: bool,
               excel: bool = False, draws: int = 10_000) -> None:
    """Assess pledge designs: cash by year, FX stress, value, provenance."""
    from ...core.scenario import Scenario
    from ...studies.assess import DEFAULT_SCENARIOS, assessment_of, evaluate_scenarios
    from ..export import assessment_json
    loaded = [Scenario.load(s) for s in scenarios or DEFAULT_SCENARIOS]
    outcomes = evaluate_scenarios(loaded)
    a = assessment_of(outcomes)
    if as_json:
        click.echo(assessment_json(a))
        if out is not None and not no_report:
            from ..report import write_report
            write_report(a, out, excel=excel)
        return
    from rich.console import Console

    from ...studies.verdict import verdict
    from ..terminal import annual_table, headline_table, tariff_tables, verdict_lines, verdict_table
    console = Console()
    v = verdict(loaded, n_draws=draws, outcomes=outcomes)
    console.print(verdict_table(v))
    for line in verdict_lines(v):
        console.print(line)
    console.print()
    console.print(headline_table(a))
    console.print(annual_table(a))
    for t in tariff_tables(a, last_year=int(a.scenarios[0].annual["year"].min()) + 2):
        console.print(t)
    if not no_report:
        from ..report import write_report
        from ...studies.evidence import evidence_report
        path = write_report(a, out or Path("tradepact-report"), verdict=v, evidence=evidence_report(),
                            excel=excel)
        tables = ("assessment.json, CSV and Excel tables" if excel
                  else "assessment.json and CSV tables; --excel adds the workbook")
        console.print(f"Report written to [bold]{path}[/bold] (with {tables}).")
