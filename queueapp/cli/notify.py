"""`queueapp worker`: deliver queued messages to citizens (WhatsApp, SMS, web push) in a
process of its own; run one or several beside the servers when scaling out
(docs/NOTIFICATIONS.md). `queueapp serve` delivers by itself unless QUEUEAPP_NOTIFY_WORKER=0."""
from __future__ import annotations

import time

import click


@click.command("worker")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit.")
@click.option("--interval", default=1.0, show_default=True, type=float, help="Seconds between rounds.")
def worker(once: bool, interval: float) -> None:
    """Deliver the notification outbox (several workers may run at once on PostgreSQL)."""
    from datetime import datetime, timezone

    from .. import create_app
    from ..notifications.worker import Worker
    app = create_app()
    outbox_worker = Worker(app.extensions["queueapp.db"], app.config)
    if once:
        click.echo(f"attempted {outbox_worker.tick(datetime.now(timezone.utc))} messages")
        return
    click.echo(f"delivering notifications through: {', '.join(outbox_worker.channels) or 'no channel configured'}")
    outbox_worker.run_forever(time.sleep, interval=interval)


COMMANDS = [worker]
