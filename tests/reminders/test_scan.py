"""The periodic scan against the database, with a frozen clock: who is told what, once."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from directives.models import Assignment, Task
from reminders import jobs, services
from reminders.models import (
    DigestLine,
    DigestOutbox,
    Notification,
    OfficeDay,
    Reminder,
    ReminderPolicy,
    ScanState,
)
from tracking import services as tracking_services

from .. import factories
from .conftest import MON, WED, D, at, make_assignment, report

pytestmark = pytest.mark.django_db


def keys(assignment):
    return list(
        Reminder.objects.filter(assignment=assignment)
        .order_by("created_at", "id")
        .values_list("kind", "step", "due_date", "fire_on")
    )


def notified(reminder):
    return set(Notification.objects.filter(reminder=reminder).values_list("user__username", "level"))


def test_a_task_due_today_gives_one_reminder_each_officer_a_notification_and_one_digest_line(team, frozen):
    assignment = make_assignment(team, MON)
    assert jobs.scan_and_create_reminders(at(MON, 0, 5)) >= 1
    reminder = Reminder.objects.get(assignment=assignment)
    assert (reminder.kind, reminder.step, reminder.due_date, reminder.fire_on) == ("due", 0, MON, MON)
    assert reminder.agency == team.lead
    assert notified(reminder) == {("tn_truong", "lead"), ("tn_canbo", "lead")}
    line = DigestLine.objects.get(reminder=reminder)
    assert (line.digest.agency, line.digest.day, line.level) == (team.lead, MON, "lead")
    assert line.digest.send_after == at(MON, 7)

    # The beat runs it again and again: nothing more is created.
    assert jobs.scan_and_create_reminders(at(MON, 0, 20)) == 0
    assert jobs.scan_and_create_reminders(at(MON, 16, 0)) == 0
    assert Reminder.objects.filter(assignment=assignment).count() == 1
    assert DigestLine.objects.filter(reminder__assignment=assignment).count() == 1
    assert Notification.objects.filter(reminder__assignment=assignment).count() == 2


def test_the_whole_life_of_a_deadline_over_a_month_of_daily_runs(team, frozen):
    assignment = make_assignment(team, D(2026, 12, 4))
    day = D(2026, 11, 20)
    while day <= D(2026, 12, 31):
        for hour in (0, 12):  # two runs a day: the second finds nothing new
            jobs.scan_and_create_reminders(at(day, hour))
        day += datetime.timedelta(days=1)
    assert keys(assignment) == [
        ("before", 7, D(2026, 12, 4), D(2026, 11, 25)),
        ("before", 3, D(2026, 12, 4), D(2026, 12, 1)),
        ("before", 1, D(2026, 12, 4), D(2026, 12, 3)),
        ("due", 0, D(2026, 12, 4), D(2026, 12, 4)),
        ("overdue", 0, D(2026, 12, 4), D(2026, 12, 7)),
        ("overdue", 1, D(2026, 12, 4), D(2026, 12, 14)),
        ("overdue", 2, D(2026, 12, 4), D(2026, 12, 21)),
        ("overdue", 3, D(2026, 12, 4), D(2026, 12, 28)),
    ]
    # Each was created on the day it is scheduled for.
    created = Reminder.objects.filter(assignment=assignment).values_list("created_at", "fire_on")
    assert all(timestamp.astimezone(at(MON).tzinfo).date() == fire for timestamp, fire in created)


def test_around_tet_2025_nothing_is_sent_on_days_off(team, frozen):
    assignment = make_assignment(team, D(2025, 2, 5))
    day = D(2025, 1, 15)
    while day <= D(2025, 2, 10):
        jobs.scan_and_create_reminders(at(day, 8))
        day += datetime.timedelta(days=1)
    assert [(k, s, fire) for k, s, _due, fire in keys(assignment)] == [
        ("before", 7, D(2025, 1, 20)),
        ("before", 3, D(2025, 1, 24)),
        ("before", 1, D(2025, 2, 4)),
        ("due", 0, D(2025, 2, 5)),
        ("overdue", 0, D(2025, 2, 6)),
    ]
    # No scan during Tết moved the window: the last completed day is a working day.
    assert ScanState.objects.get().last_completed_on == D(2025, 2, 10)


def test_a_make_up_saturday_of_the_office_is_a_reminder_day(team, frozen):
    saturday = D(2026, 11, 28)
    assignment = make_assignment(team, D(2026, 11, 30))
    assert jobs.scan_and_create_reminders(at(saturday)) == 0  # a day off: nothing, not even the window
    assert ScanState.objects.get().last_completed_on is None
    services.set_office_day(saturday, OfficeDay.Kind.WORKING_DAY, "Làm bù")
    jobs.scan_and_create_reminders(at(saturday, 10))
    assert keys(assignment) == [("before", 1, D(2026, 11, 30), saturday)]


def test_runs_missed_for_days_are_caught_up_on_the_next_working_day(team, frozen):
    """Redis was down from Wednesday to Friday: Monday's run tells what is still pending, once."""
    jobs.scan_and_create_reminders(at(D(2026, 11, 17)))  # Tuesday: the last run before the outage
    due_friday = make_assignment(team, D(2026, 11, 20))  # "due" on Friday, missed: now overdue
    before_wednesday = make_assignment(team, D(2026, 11, 30))  # "before 7" fell on Wednesday 18/11
    quiet = make_assignment(team, D(2026, 12, 31))  # nothing scheduled during the outage
    jobs.scan_and_create_reminders(at(D(2026, 11, 22)))  # Sunday: a day off, no catch-up yet
    assert not Reminder.objects.filter(assignment__in=[due_friday, before_wednesday, quiet]).exists()
    jobs.scan_and_create_reminders(at(MON))
    # Friday's "due" is overtaken by Monday's "overdue": one notice, up to date.
    assert keys(due_friday) == [("overdue", 0, D(2026, 11, 20), MON)]
    # Wednesday's "before 7" was missed and nothing newer is due: it goes out now, late but not lost.
    assert keys(before_wednesday) == [("before", 7, D(2026, 11, 30), D(2026, 11, 18))]
    assert keys(quiet) == []
    assert Reminder.objects.get(assignment=before_wednesday).created_at == at(MON)
    # The next run covers only today.
    assert jobs.scan_and_create_reminders(at(MON, 10)) == 0


def test_nothing_for_paused_cancelled_completed_or_proposed_work(team, frozen):
    open_one = make_assignment(team, MON)
    paused = make_assignment(team, MON)
    cancelled = make_assignment(team, MON)
    proposed = make_assignment(team, MON)
    done = make_assignment(team, MON)
    tracking_services.set_task_state(
        team.office, paused.task, state=Assignment.State.PAUSED, reason="Chờ vốn"
    )
    tracking_services.set_task_state(
        team.office, cancelled.task, state=Assignment.State.CANCELLED, reason="Bỏ"
    )
    tracking_services.propose_completion(
        team.lead_mail, proposed, version=None, delivered_on=D(2026, 11, 20), text="Đã xong"
    )
    tracking_services.propose_completion(
        team.lead_mail, done, version=None, delivered_on=D(2026, 11, 20), text="Đã xong"
    )
    tracking_services.confirm_completion(team.office, Assignment.objects.get(pk=done.pk), version=None)
    jobs.scan_and_create_reminders(at(MON))
    assert keys(open_one) == [("due", 0, MON, MON)]
    for assignment in (paused, cancelled, proposed, done):
        assert keys(assignment) == [], assignment.state


def test_supporting_agencies_get_the_lighter_notice(team, frozen):
    due_today = make_assignment(team, MON, supporters=[team.support, team.lead])
    in_three_days = make_assignment(team, D(2026, 11, 27), supporters=[team.support])
    jobs.scan_and_create_reminders(at(MON))
    due_reminder = Reminder.objects.get(assignment=due_today)
    soon_reminder = Reminder.objects.get(assignment=in_three_days)
    assert soon_reminder.kind == "before" and soon_reminder.step == 3
    # "Due" and the first "overdue" go to supporting agencies too; the lead is never told twice.
    assert notified(due_reminder) == {("tn_truong", "lead"), ("tn_canbo", "lead"), ("ph_canbo", "support")}
    assert notified(soon_reminder) == {("tn_truong", "lead"), ("tn_canbo", "lead")}
    support_line = DigestLine.objects.get(reminder=due_reminder, digest__agency=team.support)
    assert support_line.level == "support"
    jobs.scan_and_create_reminders(at(WED))  # the first working day after: overdue
    overdue = Reminder.objects.get(assignment=due_today, kind="overdue")
    assert ("ph_canbo", "support") in notified(overdue)
    assert not Notification.objects.filter(user=team.outsider).exists()


def test_past_30_days_late_the_leader_and_the_office_are_told(team, frozen):
    assignment = make_assignment(team, D(2026, 10, 23))  # 31 days late on Monday 23/11
    thirty = make_assignment(team, D(2026, 10, 24))  # 30 days: not yet
    jobs.scan_and_create_reminders(at(MON))
    escalation = Reminder.objects.get(assignment=assignment, kind="escalation")
    assert (escalation.due_date, escalation.days) == (D(2026, 10, 23), 31)
    assert notified(escalation) == {("pct_thu", "escalation"), ("vp_thu", "escalation")}
    assert set(
        DigestLine.objects.filter(reminder=escalation).values_list("digest__user__username", flat=True)
    ) == {"pct_thu", "vp_thu"}
    # The lead agency keeps its weekly notice (26/10 + 4 weeks = today).
    assert ("overdue", 4, D(2026, 10, 23), MON) in keys(assignment)
    assert not Reminder.objects.filter(assignment=thirty, kind="escalation").exists()
    # Once per deadline.
    jobs.scan_and_create_reminders(at(WED))
    jobs.scan_and_create_reminders(at(D(2026, 12, 30)))
    assert Reminder.objects.filter(assignment=assignment, kind="escalation").count() == 1
    assert Reminder.objects.filter(assignment=thirty, kind="escalation").count() == 1


def test_an_approved_extension_moves_the_reminders(team, frozen):
    assignment = make_assignment(team, D(2026, 11, 20))
    factories.approved_extension(assignment, D(2026, 11, 27), decided_on=D(2026, 11, 19))
    jobs.scan_and_create_reminders(at(MON))
    assert keys(assignment) == [("before", 3, D(2026, 11, 27), MON)]


def test_work_without_deadline_is_flagged_after_90_days_without_report(team, frozen):
    silent = make_assignment(team, None)
    recent = make_assignment(team, None)
    report(team, silent, D(2026, 8, 25))  # 90 days before Monday 23/11
    report(team, recent, D(2026, 8, 26))
    jobs.scan_and_create_reminders(at(MON))
    assert keys(silent) == [("no_report", 0, D(2026, 8, 25), MON)]
    assert Reminder.objects.get(assignment=silent).days == 90
    assert keys(recent) == []
    jobs.scan_and_create_reminders(at(WED))
    assert [k[0] for k in keys(recent)] == ["no_report"]
    assert len(keys(silent)) == 1  # flagged once for this silence
    # A new report, then 90 more silent days: flagged again.
    report(team, silent, D(2026, 11, 20))
    jobs.scan_and_create_reminders(at(D(2027, 2, 17)))
    assert len(keys(silent)) == 1
    jobs.scan_and_create_reminders(at(D(2027, 2, 18)))
    assert keys(silent)[-1] == ("no_report", 0, D(2026, 11, 20), D(2027, 2, 18))


def test_each_occurrence_of_a_recurring_task_is_reminded(team, frozen):
    monthly = make_assignment(team, None, recurrence=Task.Recurrence.MONTHLY)
    Task.objects.filter(pk=monthly.task_id).update(deadline_kind=Task.DeadlineKind.RECURRING)
    report(team, monthly, D(2026, 9, 30))  # September's report; October's (31/10) is missing
    jobs.scan_and_create_reminders(at(MON))  # 02/11 + 3 weeks
    assert keys(monthly) == [("overdue", 3, D(2026, 10, 31), MON)]
    assert Reminder.objects.get(assignment=monthly).is_occurrence
    report(team, monthly, D(2026, 11, 22))  # October's report, late: November's is still due
    jobs.scan_and_create_reminders(at(WED))
    assert keys(monthly)[-1] == ("before", 3, D(2026, 11, 30), WED)


def test_lines_that_arrive_after_the_day_digest_was_sent_go_to_the_next_working_day(team, frozen, mailoutbox):
    first = make_assignment(team, MON)
    jobs.scan_and_create_reminders(at(MON, 1))
    jobs.send_due_digests(at(MON, 7))
    digest = DigestOutbox.objects.get(agency=team.lead, day=MON)
    assert digest.sent_at == at(MON, 7) and digest.line_count == 1
    late_comer = make_assignment(team, D(2026, 11, 27))  # created at noon: "before 3" is today
    jobs.scan_and_create_reminders(at(MON, 12))
    line = DigestLine.objects.get(reminder__assignment=late_comer)
    assert line.digest.day == WED and line.digest.send_after == at(WED, 7)
    assert DigestLine.objects.filter(digest=digest).count() == 1
    assert keys(first) == [("due", 0, MON, MON)]


def test_the_unique_key_is_the_last_line_of_defence(team):
    assignment = make_assignment(team, MON)
    values = {
        "assignment": assignment,
        "agency": team.lead,
        "kind": "due",
        "step": 0,
        "due_date": MON,
        "fire_on": MON,
        "created_at": at(MON),
    }
    Reminder.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(**values)


def test_the_office_changes_its_rules(team, frozen):
    services.update_policy(before_working_days="5, 2", remind_on_due_day=False)
    assert ReminderPolicy.current().before_days == (5, 2)
    in_five = make_assignment(team, D(2026, 12, 1))  # five working days after Monday (24/11 is off)
    in_two = make_assignment(team, D(2026, 11, 26))
    in_three = make_assignment(team, D(2026, 11, 27))  # 3 is no longer a reminder day
    due_today = make_assignment(team, MON)  # nor the due day
    jobs.scan_and_create_reminders(at(MON))
    assert keys(in_five) == [("before", 5, D(2026, 12, 1), MON)]
    assert keys(in_two) == [("before", 2, D(2026, 11, 26), MON)]
    assert keys(in_three) == keys(due_today) == []


@pytest.mark.parametrize(
    "values, message",
    [
        ({"before_working_days": "7, ba, 1"}, "“ba” không hợp lệ"),
        ({"before_working_days": "45"}, "từ 1 đến 30"),
        ({"escalate_after_days": 0}, "lớn hơn hoặc bằng với 1"),
    ],
)
def test_bad_rules_are_refused_with_a_message_and_nothing_changes(db, values, message):
    services.update_policy(before_working_days="7,3,1")
    with pytest.raises(ValidationError) as error:
        services.update_policy(**values)
    assert message in " ".join(error.value.messages)
    policy = ReminderPolicy.current()
    assert (policy.before_working_days, policy.escalate_after_days) == ("7,3,1", 30)
