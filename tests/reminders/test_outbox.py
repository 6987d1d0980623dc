"""The digest outbox: one e-mail per agency per day, claimed before it is sent, never twice."""

import datetime

import pytest
from django.core import mail

from directives.models import Assignment
from reminders import jobs, services
from reminders.models import DigestOutbox
from tracking import services as tracking_services

from .. import factories
from .conftest import MON, at, make_assignment

pytestmark = pytest.mark.django_db
TIMEOUT = datetime.timedelta(seconds=300)


@pytest.fixture
def digest(team, frozen, settings):
    """Monday's digest of the lead agency with three lines (due today, before 3, overdue)."""
    settings.REMINDER_CLAIM_TIMEOUT = 300
    make_assignment(team, MON, text="Báo cáo tình hình giải ngân vốn đầu tư công")
    make_assignment(team, datetime.date(2026, 11, 27), text="Tham mưu Kế hoạch nâng cao Chỉ số PCI")
    make_assignment(team, datetime.date(2026, 11, 20), text="Rà soát danh mục dự án kêu gọi đầu tư")
    jobs.scan_and_create_reminders(at(MON, 0, 5))
    return DigestOutbox.objects.get(agency=team.lead, day=MON)


def lead_mails(team):
    return [m for m in mail.outbox if team.lead_mail.email in m.to]


def test_one_digest_per_agency_per_day_at_the_office_time(team, digest):
    assert digest.lines.count() == 3
    assert jobs.send_due_digests(at(MON, 6, 59)) == 0
    assert mail.outbox == []
    assert jobs.send_due_digests(at(MON, 7, 0)) >= 1
    [message] = lead_mails(team)
    assert message.to == ["truong@sotn.camau.test"]  # tn_canbo has no e-mail: skipped, and recorded
    assert message.subject == "[Nhắc việc] Sở TN: 3 nhiệm vụ cần chú ý ngày 23/11/2026"
    body = message.body
    assert "Kính gửi: Sở Thử nghiệm" in body
    assert body.index("QUÁ HẠN") < body.index("ĐẾN HẠN") < body.index("SẮP ĐẾN HẠN")
    assert "Quá hạn 3 ngày (hạn 20/11/2026)" in body
    assert "Đến hạn ngày 23/11/2026" in body
    assert "Còn 3 ngày làm việc đến hạn 27/11/2026" in body
    assert "Báo cáo tình hình giải ngân vốn đầu tư công" in body
    assert "http://127.0.0.1:8000/tasks/" in body
    digest.refresh_from_db()
    assert digest.sent_at == at(MON, 7) and digest.outcome == "sent"
    assert (digest.recipients, digest.skipped, digest.line_count, digest.attempts) == (
        ["truong@sotn.camau.test"],
        ["tn_canbo"],
        3,
        1,
    )
    # The next minutes: nothing more.
    assert jobs.send_due_digests(at(MON, 7, 1)) == 0
    assert jobs.send_due_digests(at(MON, 18)) == 0
    assert len(lead_mails(team)) == 1


def test_a_claim_is_won_once_and_a_stale_claim_is_taken_over(digest):
    first = services.claim_digest(digest.pk, at(MON, 7))
    assert first
    assert services.claim_digest(digest.pk, at(MON, 7, 1)) is None  # claimed and fresh
    assert digest.pk not in services.due_digest_ids(at(MON, 7, 1))
    # The first sender died: after the timeout another one takes it over...
    later = at(MON, 7) + TIMEOUT + datetime.timedelta(seconds=1)
    assert digest.pk in services.due_digest_ids(later)
    second = services.claim_digest(digest.pk, later)
    assert second and second != first
    # ...and the first one, if it was only slow, finds out and does not send.
    assert services.send_digest(digest.pk, first, later) is False
    assert mail.outbox == []
    assert services.send_digest(digest.pk, second, later) is True
    assert len(mail.outbox) == 1
    digest.refresh_from_db()
    assert digest.attempts == 2 and digest.claimed_by == second and digest.sent_at == later
    assert services.claim_digest(digest.pk, later + TIMEOUT * 2) is None  # sent: never again


def test_when_the_mail_server_is_down_the_claim_is_released_and_sent_later(team, digest, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nothing listens
    assert jobs.send_due_digests(at(MON, 7)) == 0
    digest.refresh_from_db()
    assert digest.sent_at is None and digest.claimed_at is None and digest.attempts == 1
    assert digest.last_error
    assert digest.send_after == at(MON, 7, 2)  # retried after a short, growing pause
    assert jobs.send_due_digests(at(MON, 7, 1)) == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert jobs.send_due_digests(at(MON, 7, 2)) >= 1
    assert len(lead_mails(team)) == 1
    digest.refresh_from_db()
    assert digest.outcome == "sent" and digest.attempts == 2


def test_an_agency_without_e_mail_is_recorded_not_retried(team, frozen):
    silent = factories.agency(code="SOKHONG", name="Sở Không thư", short_name="Sở KT")
    factories.user("kt_canbo", agency=silent)
    make_assignment(team, MON, agency=silent)
    jobs.scan_and_create_reminders(at(MON, 0, 5))
    jobs.send_due_digests(at(MON, 7))
    digest = DigestOutbox.objects.get(agency=silent, day=MON)
    assert (digest.outcome, digest.skipped, digest.recipients) == ("no_recipients", ["kt_canbo"], [])
    assert digest.sent_at == at(MON, 7)
    assert not [m for m in mail.outbox if "Sở KT" in m.subject]


def test_work_completed_before_the_digest_goes_out_is_not_urged(team, frozen):
    assignment = make_assignment(team, MON)
    jobs.scan_and_create_reminders(at(MON, 0, 5))
    tracking_services.propose_completion(
        team.lead_mail, assignment, version=None, delivered_on=datetime.date(2026, 11, 21), text="Đã xong"
    )
    jobs.send_due_digests(at(MON, 7))
    digest = DigestOutbox.objects.get(agency=team.lead, day=MON)
    assert Assignment.objects.get(pk=assignment.pk).state == Assignment.State.PROPOSED
    assert (digest.outcome, digest.line_count) == ("nothing_left", 0)
    assert lead_mails(team) == []


def test_the_office_can_switch_e_mail_off(team, digest):
    services.update_policy(send_email=False)
    jobs.send_due_digests(at(MON, 7))
    digest.refresh_from_db()
    assert digest.outcome == "disabled" and digest.sent_at is not None
    assert mail.outbox == []


def test_escalations_go_to_each_person_in_one_digest(team, frozen):
    make_assignment(team, datetime.date(2026, 10, 1))
    make_assignment(team, datetime.date(2026, 10, 2))
    jobs.scan_and_create_reminders(at(MON, 0, 5))
    jobs.send_due_digests(at(MON, 7))
    [to_leader] = [m for m in mail.outbox if m.to == ["pct@camau.test"]]
    assert to_leader.body.count("đã báo cáo lãnh đạo phụ trách và Văn phòng") == 2
    assert "QUÁ HẠN LÂU, ĐÃ BÁO CÁO LÃNH ĐẠO PHỤ TRÁCH VÀ VĂN PHÒNG" in to_leader.body
    assert len([m for m in mail.outbox if m.to == ["vp@camau.test"]]) == 1


def test_a_long_digest_lists_the_most_urgent_lines_and_counts_the_rest(team, digest, monkeypatch):
    monkeypatch.setattr(services, "MAX_EMAIL_LINES", 2)
    jobs.send_due_digests(at(MON, 7))
    [message] = lead_mails(team)
    assert "Quá hạn 3 ngày (hạn 20/11/2026)" in message.body and "Đến hạn ngày 23/11/2026" in message.body
    assert "Còn 3 ngày làm việc" not in message.body
    assert "… và 1 nhiệm vụ khác, xem trên hệ thống." in message.body
    assert "3 nhiệm vụ cần chú ý" in message.subject
    digest.refresh_from_db()
    assert digest.line_count == 3
