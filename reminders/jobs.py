"""Plain functions the Celery tasks call, so tests call them directly with a frozen clock."""

import datetime

from . import services


def scan_and_create_reminders(now: datetime.datetime) -> int:
    """Decide today's reminders from the database state. Idempotent: run it as often as you like."""
    return services.run_scan(now)


def send_due_digests(now: datetime.datetime) -> int:
    """Send the daily digests whose time has come, each claimed before it is sent."""
    return services.send_due_digests(now)
