"""Two scans or two senders at the same moment (two beats, a redelivered message): no duplicate.

Real threads with their own database connections: on PostgreSQL they really overlap (the scan's
row lock and the sender's conditional UPDATE decide); on SQLite the write lock serialises them.
"""

import threading

import pytest
from django.core import mail
from django.db import connections

from reminders import jobs, services
from reminders.models import DigestLine, DigestOutbox, Notification, Reminder

from .conftest import MON, WED, D, at, make_assignment

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(function, n=4):
    """Run `function` in n threads released together; return their results, raise their errors."""
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=30)
            results.append(function())
        except Exception as error:  # collected and re-raised in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise errors[0]
    return results


def test_scans_at_the_same_moment_create_each_reminder_once(team, frozen):
    assignments = [make_assignment(team, MON, supporters=[team.support]) for _ in range(5)]
    results = at_once(lambda: jobs.scan_and_create_reminders(at(MON, 0, 5)))
    assert sorted(results)[:-1] == [0, 0, 0]  # one scan did the work, the others found it done
    assert Reminder.objects.count() == max(results)
    for assignment in assignments:
        assert Reminder.objects.filter(assignment=assignment).count() == 1
        assert DigestLine.objects.filter(reminder__assignment=assignment).count() == 2  # lead + support
        assert Notification.objects.filter(reminder__assignment=assignment).count() == 3
    assert DigestOutbox.objects.filter(agency=team.lead).count() == 1


def test_senders_at_the_same_moment_send_each_digest_once(team, frozen):
    make_assignment(team, MON)
    jobs.scan_and_create_reminders(at(MON, 0, 5))
    due = DigestOutbox.objects.filter(send_after__lte=at(MON, 7)).count()
    results = at_once(lambda: jobs.send_due_digests(at(MON, 7)))
    to_lead = [m for m in mail.outbox if m.to == ["truong@sotn.camau.test"]]
    assert len(to_lead) == 1
    assert sum(results) == len(mail.outbox)
    assert DigestOutbox.objects.filter(sent_at__isnull=False).count() == due
    assert set(DigestOutbox.objects.values_list("attempts", flat=True)) == {1}


def test_a_scan_never_adds_lines_to_a_digest_a_sender_has_claimed(team, frozen):
    make_assignment(team, MON)
    jobs.scan_and_create_reminders(at(MON, 0, 5))
    digest = DigestOutbox.objects.get(agency=team.lead, day=MON)
    token = services.claim_digest(digest.pk, at(MON, 7))
    late_comer = make_assignment(team, D(2026, 11, 27))
    jobs.scan_and_create_reminders(at(MON, 7, 1))
    line = DigestLine.objects.get(reminder__assignment=late_comer)
    assert line.digest.day == WED
    assert services.send_digest(digest.pk, token, at(MON, 7, 1))
    digest.refresh_from_db()
    assert digest.line_count == 1
