"""Fault drills of the digest e-mail, with real servers the tests start themselves: a mail server
(slow, or acting when it accepts a message), a throwaway PostgreSQL restarted at the worst moment,
a sender process killed after the mail server accepted its message, a clock set back.

Every drill ends with each digest recorded as sent and one message per recipient and day, or,
when a crash leaves no record at all, a resend that mail systems recognise as the same message.
"""

import datetime
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from django.db import connections
from django.utils import timezone

from accounts.models import User
from reminders import jobs, services
from reminders.calendar import WorkingCalendar
from reminders.models import DigestOutbox, OfficeDay, Reminder, ScanState

from .. import factories
from ..project.test_celery_integration import ROOT, database_url
from ..servers import MailServer, ThrowawayPostgres
from .conftest import MON, WED, D, at, make_assignment

CLAIM_TIMEOUT = 2  # seconds: short, so that a batch outlives it and a dead sender's claim expires fast


def make_due_today() -> None:
    """Today (the real one) is a working day and the digest goes out as soon as it exists."""
    today = timezone.localdate()
    if not WorkingCalendar.load().is_working_day(today):
        services.set_office_day(today, OfficeDay.Kind.WORKING_DAY, "Làm bù (kiểm thử)")
    services.update_policy(digest_time="00:00")


def clear_the_deck() -> None:
    """Decide and send (to Django's test outbox) whatever else is due today, so the drill's
    digests are the only ones left to send."""
    jobs.scan_and_create_reminders(timezone.now())
    while jobs.send_due_digests(timezone.now()):
        pass


def agency_due_today(n: int) -> str:
    """An agency with one officer who has an e-mail address and one task due today; the address."""
    agency = factories.agency(code=f"DRILL{n}", name=f"Sở Diễn tập {n}", short_name=f"Sở DT{n}")
    address = f"canbo{n}@dientap.camau.test"
    factories.user(f"dt{n}_canbo", User.Role.AGENCY, agency, email=address)
    factories.assignment(factories.task(deadline=timezone.localdate()), agency)
    return address


def manage(*args: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=os.environ | env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> tuple[int, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out + err


# (a) No fault: a batch slower than the claim timeout, a second sender alongside -----------------


@pytest.mark.django_db(transaction=True)
def test_a_batch_slower_than_the_claim_timeout_beside_a_second_sender_sends_each_digest_once(settings):
    make_due_today()
    clear_the_deck()
    addresses = [agency_due_today(n) for n in range(8)]
    jobs.scan_and_create_reminders(timezone.now())
    ours = list(DigestOutbox.objects.filter(agency__code__startswith="DRILL", sent_at__isnull=True))
    assert len(ours) == 8
    settings.REMINDER_CLAIM_TIMEOUT = CLAIM_TIMEOUT
    errors = []

    def sender(repeat: threading.Event | None = None):
        try:
            while True:
                jobs.send_due_digests(timezone.now())
                if repeat is None or repeat.is_set():
                    return
                time.sleep(0.2)  # a beat firing again and again beside the long batch
        except Exception as error:  # re-raised in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    # Each message takes the mail server 0.75 s: the first batch runs ~6 s, three claim timeouts.
    with MailServer(accept_delay=0.75) as mail:
        for name, value in mail.settings().items():
            setattr(settings, name, int(value) if name == "EMAIL_PORT" else value)
        first_done = threading.Event()
        second = threading.Thread(target=sender, args=(first_done,))
        first = threading.Thread(target=sender)
        first.start()
        time.sleep(0.1)
        second.start()
        first.join(timeout=60)
        first_done.set()
        second.join(timeout=60)
    assert not errors, errors
    for address in addresses:
        assert len(mail.to(address)) == 1, address
    accepted = sorted(message.accepted_at for message in mail.received)
    assert accepted[-1] - accepted[0] > datetime.timedelta(seconds=CLAIM_TIMEOUT)  # the drill's point
    for digest in ours:
        digest.refresh_from_db()
        [message] = mail.to(digest.recipients[0])
        # sent_at is when the mail server accepted it (to the moment the sender heard so), not
        # when the batch started.
        assert message.accepted_at <= digest.sent_at < message.accepted_at + datetime.timedelta(seconds=1)
        assert (digest.outcome, digest.attempts) == ("sent", 1)


# (b) PostgreSQL restarted between the SMTP send and the UPDATE that records it --------------------


@pytest.fixture(scope="module")
def postgres():
    with ThrowawayPostgres() as server:
        yield server


SEED = """
from django.utils import timezone
from accounts.models import User
from reminders import services
from reminders.calendar import WorkingCalendar
from reminders.models import OfficeDay
from tests import factories

today = timezone.localdate()
if not WorkingCalendar.load().is_working_day(today):
    services.set_office_day(today, OfficeDay.Kind.WORKING_DAY, "Làm bù (kiểm thử)")
services.update_policy(digest_time="00:00")
agency = factories.agency(code="DRILL", name="Sở Diễn tập", short_name="Sở DT")
factories.user("dt_canbo", User.Role.AGENCY, agency, email="canbo@dientap.camau.test")
factories.assignment(factories.task(deadline=today), agency)
"""


@pytest.mark.integration
def test_postgresql_restarted_between_the_send_and_its_record_the_digest_ends_sent_once(postgres):
    url = postgres.migrated_database("drill_restart")
    env = {"DATABASE_URL": url, "REMINDER_CLAIM_TIMEOUT": str(CLAIM_TIMEOUT)}
    code, output = finish(manage("shell", "-c", SEED, env=env))
    assert code == 0, output
    restarted = threading.Event()

    def restart_the_database(_message):
        # Down before the sender hears "accepted", up again 2 s later: its record must wait.
        postgres.stop()
        threading.Timer(2, lambda: (postgres.start(), restarted.set())).start()

    with MailServer(on_accept=restart_the_database) as mail:
        code, output = finish(manage("remind", env=env | mail.settings()))
        assert code == 0, output
        assert "gửi 1 thư tổng hợp" in output, output
        assert "sent but not yet recorded" in output  # the drill did hit the window
        assert restarted.wait(30)
        time.sleep(CLAIM_TIMEOUT + 0.5)
        mail.on_accept = None
        code, output = finish(manage("remind", env=env | mail.settings()))  # a later run finds it done
        assert code == 0 and "gửi 0 thư tổng hợp" in output, output
    [message] = mail.to("canbo@dientap.camau.test")
    [(sent_at, outcome, attempts)] = postgres.execute(
        "SELECT sent_at, outcome, attempts FROM reminders_digestoutbox", database="drill_restart"
    )
    assert (outcome, attempts) == ("sent", 1)
    assert message.accepted_at <= sent_at < message.accepted_at + datetime.timedelta(seconds=10)


# (c) The sender killed after the mail server accepted the message --------------------------------


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_sender_killed_after_the_mail_server_accepted_resends_the_same_message_id(settings):
    make_due_today()
    clear_the_deck()
    address = agency_due_today(0)
    jobs.scan_and_create_reminders(timezone.now())
    digest = DigestOutbox.objects.get(agency__code="DRILL0")
    env = {
        "DATABASE_URL": database_url(),
        "VAR_DIR": str(settings.VAR_DIR),
        "REMINDER_CLAIM_TIMEOUT": str(CLAIM_TIMEOUT),
    }
    senders: list[subprocess.Popen] = []

    def kill_the_sender(_message):
        senders[-1].send_signal(signal.SIGKILL)  # no goodbye: as if the machine lost power
        senders[-1].wait(timeout=30)

    with MailServer(on_accept=kill_the_sender) as mail:
        senders.append(manage("remind", env=env | mail.settings()))
        code, output = finish(senders[-1])
        assert code == -signal.SIGKILL, output
        digest.refresh_from_db()
        assert digest.sent_at is None and digest.claimed_at is not None  # accepted, never recorded
        assert len(mail.to(address)) == 1
        # After the claim timeout, the next run takes the abandoned claim over and sends again.
        time.sleep(CLAIM_TIMEOUT + 0.5)
        mail.on_accept = None
        for _run in range(2):
            code, output = finish(manage("remind", env=env | mail.settings()))
            assert code == 0, output
    first, resend = mail.to(address)
    assert first.message_id == resend.message_id == services.message_id(digest)
    digest.refresh_from_db()
    assert (digest.outcome, digest.attempts) == ("sent", 2)


def test_the_message_id_is_stable_per_recipient_and_day(settings):
    settings.DEFAULT_FROM_EMAIL = "Văn phòng UBND tỉnh <vpubnd@camau.gov.vn>"
    digest = DigestOutbox(agency_id=7, day=MON)
    same = services.message_id(DigestOutbox(pk=99, agency_id=7, day=MON, attempts=3))
    assert services.message_id(digest) == same
    assert same.startswith("<nhacviec.20261123.agency-7.") and same.endswith("@camau.gov.vn>")
    assert services.message_id(DigestOutbox(agency_id=7, day=WED)) != same
    assert services.message_id(DigestOutbox(agency_id=8, day=MON)) != same
    assert services.message_id(DigestOutbox(user_id=7, day=MON)) != same
    settings.SITE_URL = "https://thu-nghiem.camau.gov.vn"  # a test install never shares production's ids
    assert services.message_id(digest) != same


# A clock set back ------------------------------------------------------------------------------

THU, FRI, NEXT_MON = D(2026, 11, 26), D(2026, 11, 27), D(2026, 11, 30)


def timeline(days) -> set[tuple]:
    for day in days:
        jobs.scan_and_create_reminders(at(day, 0, 5))
    return set(Reminder.objects.values_list("assignment_id", "kind", "due_date", "step", "fire_on"))


@pytest.mark.django_db
def test_a_clock_set_back_never_moves_the_window_back_and_loses_no_reminder(team, frozen):
    deadlines = [WED, THU, FRI, NEXT_MON, D(2026, 12, 2), D(2026, 11, 19), D(2026, 11, 16)]
    due_thursday = [make_assignment(team, day) for day in deadlines][1]
    expected = timeline([MON, WED, THU, FRI])
    Reminder.objects.all().delete()
    DigestOutbox.objects.all().delete()
    ScanState.objects.all().delete()

    timeline([MON, WED])
    assert ScanState.objects.get().last_completed_on == WED
    assert jobs.scan_and_create_reminders(at(MON, 9)) == 0  # the clock says Monday again
    assert ScanState.objects.get().last_completed_on == WED
    assert timeline([THU, FRI]) == expected
    assert Reminder.objects.filter(assignment=due_thursday, kind="due", fire_on=THU).exists()
