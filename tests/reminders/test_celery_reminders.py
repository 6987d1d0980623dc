"""Real Celery worker and beat processes, on the configured broker (real Redis when REDIS_URL is
set), the test database and the file e-mail backend: a due task gives exactly one reminder, one
digest line and one e-mail, whatever runs twice, dies in the middle or loses its broker.

The processes use the real clock; the due task is due "today" in Cà Mau, and if today is a day off
the test makes it a working day the way the office would (an OfficeDay make-up working day).
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from reminders import jobs, services
from reminders.calendar import WorkingCalendar
from reminders.models import DigestLine, DigestOutbox, OfficeDay, Reminder

from ..project.test_celery_integration import ROOT, database_url, wait_for
from ..servers import MailServer
from .conftest import make_assignment

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ADDRESS = "truong@sotn.camau.test"
DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens there: the broker is "down"


class Celery:
    """Starts worker and beat processes; stops (or kills) them; reads their logs and mails."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.mail = folder / "mail"
        self.mail.mkdir()
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs = {}

    def env(self, **extra) -> dict:
        return (
            os.environ
            | {
                "DATABASE_URL": database_url(),
                "VAR_DIR": str(settings.VAR_DIR),
                "DJANGO_SETTINGS_MODULE": "camau_tasks.settings",
                "REMINDER_SCAN_SECONDS": "1",
                "REMINDER_SEND_SECONDS": "1",
                "REMINDER_CLAIM_TIMEOUT": "4",
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": str(self.mail),
            }
            | {key: str(value) for key, value in extra.items()}
        )

    def start(self, name: str, kind: str = "worker", **env) -> subprocess.Popen:
        command = [sys.executable, "-m", "celery", "-A", "camau_tasks", kind, "--loglevel=INFO"]
        if kind == "worker":
            command += ["--pool=solo", f"--hostname={name}-{os.getpid()}@%h"]
        else:
            command += ["--schedule", str(self.folder / f"{name}-schedule")]
        log = self.logs[name] = open(self.folder / f"{name}.log", "a")  # noqa: SIM115
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.env(**env), stdout=log, stderr=subprocess.STDOUT
        )
        self.processes[name] = process
        return process

    def stop(self, name: str, kill: bool = False) -> None:
        process = self.processes.pop(name)
        if kill:
            process.send_signal(signal.SIGKILL)  # no goodbye: as if the machine lost power
        else:
            process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)
        for log in self.logs.values():
            log.close()

    def output(self) -> str:
        return "\n".join(path.read_text() for path in sorted(self.folder.glob("*.log")))

    def mails_to(self, address: str) -> int:
        """Messages written by the file backend to `address` (one file may hold several)."""
        return sum(path.read_text().count(f"\nTo: {address}\n") for path in self.mail.iterdir())


@pytest.fixture
def celery(tmp_path):
    processes = Celery(tmp_path)
    yield processes
    processes.stop_all()


@pytest.fixture
def due_today(team):
    """A task due today in Cà Mau, with the digest sent as soon as it exists."""
    today = timezone.localdate()
    if not WorkingCalendar.load().is_working_day(today):
        services.set_office_day(today, OfficeDay.Kind.WORKING_DAY, "Làm bù (kiểm thử)")
    services.update_policy(digest_time="00:00")
    return make_assignment(team, today, text="Báo cáo tình hình giải ngân vốn đầu tư công")


def our_digest_sent():
    return DigestOutbox.objects.filter(agency__code="SOTN", sent_at__isnull=False).exists()


def settle(seconds: float = 4.0) -> None:
    """Let beat fire the jobs a few more times (every second) before counting."""
    time.sleep(seconds)


def test_two_workers_and_two_beats_send_one_reminder_one_line_one_mail(celery, due_today):
    # Nobody dies here: the claim timeout is a production-like minute, not the 4 s the other drills
    # use to see a dead worker's claim expire (with SQLite's one writer on a loaded machine, a live
    # sender can wait that long for the lock between its claim and its send, and then rightly loses
    # the claim: no duplicate, but a second attempt).
    for name in ("worker-a", "worker-b"):
        celery.start(name, REMINDER_CLAIM_TIMEOUT=60)
    for name in ("beat-a", "beat-b"):
        celery.start(name, "beat")
    assert wait_for(our_digest_sent, 90), celery.output()
    settle()
    assert Reminder.objects.filter(assignment=due_today).count() == 1
    reminder = Reminder.objects.get(assignment=due_today)
    assert (reminder.kind, reminder.due_date) == ("due", timezone.localdate())
    assert DigestLine.objects.filter(reminder=reminder).count() == 1
    assert celery.mails_to(ADDRESS) == 1, celery.output()
    digest = DigestOutbox.objects.get(agency__code="SOTN")
    assert digest.attempts == 1 and digest.line_count == 1
    # Every digest of the day goes out exactly once, whoever sends it (the office's escalation digest
    # is the long one: on a loaded machine it may still be on its way).
    assert wait_for(
        lambda: (
            not DigestOutbox.objects.filter(sent_at__isnull=True, send_after__lte=timezone.now()).exists()
        ),
        30,
    ), celery.output()
    assert set(DigestOutbox.objects.values_list("attempts", flat=True)) == {1}


@pytest.fixture
def slow_mail_server():
    """A real SMTP server that makes a new connection wait 60 s for its greeting, until a test
    makes it answer at once again."""
    with MailServer(greeting_delay=60) as server:
        yield server


def test_a_worker_killed_in_the_middle_of_a_send_leaves_no_gap_and_no_duplicate(
    celery, due_today, slow_mail_server
):
    # The rest of today's work is done first, so that ours is the one digest left to send.
    now = timezone.now()
    jobs.scan_and_create_reminders(now)
    ours = DigestOutbox.objects.get(agency__code="SOTN")
    for digest_id in services.due_digest_ids(now):
        if digest_id != ours.pk and (token := services.claim_digest(digest_id, now)):
            services.send_digest(digest_id, token, now)
    smtp = slow_mail_server.settings() | {"EMAIL_TIMEOUT": 90}
    celery.start("beat", "beat")
    # The worker claims our digest and waits for the slow mail server's greeting: killed there.
    celery.start("worker-dying", **smtp)
    assert wait_for(lambda: DigestOutbox.objects.filter(pk=ours.pk, claimed_at__isnull=False).exists(), 90), (
        celery.output()
    )
    celery.stop("worker-dying", kill=True)
    ours.refresh_from_db()
    assert ours.sent_at is None and ours.attempts == 1
    assert slow_mail_server.received == []
    first_claim = ours.claimed_by
    # A new worker takes the stale claim over (after REMINDER_CLAIM_TIMEOUT) and sends it, once.
    slow_mail_server.greeting_delay = 0
    celery.start("worker-new", **smtp)
    assert wait_for(our_digest_sent, 90), celery.output()
    settle()
    ours.refresh_from_db()
    assert ours.attempts == 2 and ours.claimed_by != first_claim and ours.outcome == "sent"
    assert len(slow_mail_server.to(ADDRESS)) == 1, celery.output()
    assert Reminder.objects.filter(assignment=due_today).count() == 1


def test_while_the_broker_is_down_the_web_answers_and_the_reminders_wait(celery, due_today, client, team):
    celery.start("worker-blind", REDIS_URL=DEAD_BROKER)
    celery.start("beat-blind", "beat", REDIS_URL=DEAD_BROKER)
    settle(6)
    assert not Reminder.objects.exists()  # nothing could be scheduled
    # The web never enqueues anything: every page answers while the broker is unreachable.
    for person, url in (
        (team.office, reverse("dashboard")),
        (team.office, reverse("reminder-bulletin")),
        (team.lead_mail, reverse("notifications")),
        (team.lead_mail, reverse("task-list")),
    ):
        client.force_login(person)
        assert client.get(url).status_code == 200, url
    celery.stop("worker-blind")
    celery.stop("beat-blind")
    # The broker is back: the missed reminder is decided and sent, once.
    celery.start("worker")
    celery.start("beat", "beat")
    assert wait_for(our_digest_sent, 90), celery.output()
    settle()
    assert Reminder.objects.filter(assignment=due_today).count() == 1
    assert celery.mails_to(ADDRESS) == 1, celery.output()
