"""The office edits its rules and days in the admin; what the jobs wrote is read-only there."""

import pytest
from django.urls import reverse

from reminders import jobs
from reminders.models import OfficeDay, Reminder, ReminderPolicy

from .conftest import MON, at, make_assignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, people, team, frozen):
    make_assignment(team, MON)
    jobs.scan_and_create_reminders(at(MON))
    client.force_login(people["admin"])
    return client


@pytest.mark.parametrize("model", ["reminderpolicy", "officeday", "reminder", "notification", "digestoutbox"])
def test_every_list_opens(admin_client, model):
    assert admin_client.get(reverse(f"admin:reminders_{model}_changelist")).status_code == 200


def test_the_office_adds_a_make_up_saturday_and_sets_its_rules(admin_client):
    response = admin_client.post(
        reverse("admin:reminders_officeday_add"),
        {"day": "28/11/2026", "kind": "working_day", "note": "Làm bù"},
    )
    assert response.status_code == 302
    assert OfficeDay.objects.get().kind == "working_day"
    form = {
        "before_working_days": "5,1",
        "remind_on_due_day": "on",
        "overdue_repeat_days": "7",
        "escalate_after_days": "30",
        "no_report_days": "90",
        "digest_time": "07:30",
        "send_email": "on",
    }
    assert admin_client.post(reverse("admin:reminders_reminderpolicy_add"), form).status_code == 302
    assert ReminderPolicy.current().before_days == (5, 1)
    # One row only: no second "add".
    assert admin_client.get(reverse("admin:reminders_reminderpolicy_add")).status_code == 403
    bad = form | {"before_working_days": "5, năm"}
    response = admin_client.post(reverse("admin:reminders_reminderpolicy_change", args=[1]), bad)
    assert response.status_code == 200 and "“năm” không hợp lệ" in response.content.decode()
    assert ReminderPolicy.current().before_days == (5, 1)


def test_what_the_jobs_wrote_cannot_be_edited(admin_client):
    reminder = Reminder.objects.first()
    assert admin_client.get(reverse("admin:reminders_reminder_add")).status_code == 403
    assert (
        admin_client.post(
            reverse("admin:reminders_reminder_delete", args=[reminder.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Reminder.objects.filter(pk=reminder.pk).exists()
