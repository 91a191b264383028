"""`queueapp staffing SLUG [--date D]`: how many counters each service needs per hour on a
day (tomorrow by default), from the office's last weeks (queries.staffing)."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone

import click


@click.command("staffing")
@click.argument("office_slug")
@click.option("--date", "day", default=None, help="The day to plan (YYYY-MM-DD; default: tomorrow).")
@click.option("--weeks", default=4, show_default=True, type=int, help="Weeks of history (same weekday).")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as one JSON object.")
def staffing(office_slug: str, day: str | None, weeks: int, as_json: bool) -> None:
    """Counters per service and hour that keep 90% of waits under each service's target
    (simulated from the office's history, Erlang C beside it; docs/ETA.md)."""
    from ..db import Database
    from ..domain.errors import DomainError
    from ..queries import staffing as staffing_queries
    from ..simulation.staffing import table
    from . import _database, describe
    db: Database = _database()
    try:
        with db.read() as session:
            from .. import repository
            office = repository.office_by_slug(session, office_slug)
            zone = office.timezone
        chosen = date.fromisoformat(day) if day else staffing_queries.tomorrow(datetime.now(timezone.utc), zone)
        result = staffing_queries.plan(db, office_slug, chosen, weeks=weeks)
    except DomainError as exc:
        raise click.ClickException(describe(exc)) from None
    except ValueError:
        raise click.ClickException(f"--date: not a date: {day}") from None
    if as_json:
        click.echo(json.dumps(result, indent=2, sort_keys=True))
    else:
        click.echo(f"{result['office']['name']}, {result['date']} (history: {weeks} weeks)")
        click.echo(table(result))
