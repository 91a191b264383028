"""`queueapp simulate`: run one office day of a scenario and print the ETA error table."""
from __future__ import annotations

import json

import click


@click.command("simulate")
@click.option("--scenario", "name", default="kecamatan-small", show_default=True,
              help="A shipped scenario (kecamatan-small, dukcapil-busy, mpp) or a YAML file's path.")
@click.option("--seed", default=1, show_default=True, type=int, help="Same seed, same day.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.option("--database-url", default=None,
              help="An empty database to run the day in (default: SQLite in a temporary folder).")
@click.option("--staffing", "advise", is_flag=True,
              help="Print the counters each service needs per hour for 90% of waits under its target instead.")
def simulate(name: str, seed: int, as_json: bool, database_url: str | None, advise: bool) -> None:
    """Simulate an office day through the real use cases on a simulated clock and measure
    the waiting-time estimates against the actual waits (docs/ETA.md)."""
    from ..simulation import engine, measure, scenario
    try:
        chosen = scenario.load(name)
    except scenario.ScenarioError as exc:
        raise click.ClickException(str(exc)) from None
    if advise:
        from ..simulation import staffing
        found = staffing.scenario_plan(chosen, seed)
        click.echo(json.dumps(found, indent=2, sort_keys=True) if as_json else staffing.table(found))
        return
    result = measure.report(engine.simulate(chosen, seed, database_url))
    if as_json:
        click.echo(json.dumps(result, indent=2, sort_keys=True))
    else:
        click.echo(measure.table(result))
