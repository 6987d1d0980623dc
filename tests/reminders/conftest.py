"""Named people and small builders for the reminder tests. Data goes through the real services."""

import datetime
import types
import zoneinfo

import pytest

from accounts.models import User
from tracking import services as tracking_services

from .. import factories

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date
MON = D(2026, 11, 23)  # a working day; Tuesday 24/11/2026 is Ngày Văn hóa Việt Nam (a holiday)
WED = D(2026, 11, 25)


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=VN)


@pytest.fixture
def team(programme):
    """A lead agency with an officer who has e-mail and one who has not, a supporting agency, an
    unrelated agency, a leader in charge and an office officer (healthchecks' alice/bob habit)."""
    lead = factories.agency(code="SOTN", name="Sở Thử nghiệm", short_name="Sở TN")
    support = factories.agency(code="SOPH", name="Sở Phối hợp", short_name="Sở PH")
    other = factories.agency(code="SOKHAC", name="Sở Không liên quan", short_name="Sở KLQ")
    return types.SimpleNamespace(
        lead=lead,
        support=support,
        other=other,
        lead_mail=factories.user("tn_truong", User.Role.AGENCY, lead, email="truong@sotn.camau.test"),
        lead_nomail=factories.user("tn_canbo", User.Role.AGENCY, lead),
        supporter=factories.user("ph_canbo", User.Role.AGENCY, support, email="canbo@soph.camau.test"),
        outsider=factories.user("klq_canbo", User.Role.AGENCY, other, email="canbo@soklq.camau.test"),
        leader=factories.user("pct_thu", User.Role.LEADER, None, email="pct@camau.test"),
        office=factories.user("vp_thu", User.Role.OFFICE, None, email="vp@camau.test"),
    )


def make_assignment(team, deadline, supporters=(), agency=None, **task_fields):
    task = factories.task(deadline=deadline, leader=team.leader, **task_fields)
    task.supporting_agencies.set(supporters)
    return factories.assignment(task, agency or team.lead)


def report(team, assignment, day, percent=50):
    """A progress report from the lead agency, through the workflow's own service."""
    return tracking_services.record_progress(
        team.lead_mail, assignment, version=None, reported_on=day, percent=percent, text="Đang thực hiện"
    )
