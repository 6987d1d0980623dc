"""Every role × every write action × scope, over HTTP: allowed ones work, refused ones get 403/404,
change nothing and are logged.

Scopes: `lead_officer` belongs to the lead agency (SKHDT), `other_officer` to a supporting agency
(STC), `unrelated_officer` to neither (SYT).
"""

import datetime
import logging

import pytest
from django.test import Client
from django.urls import reverse

from directives.models import Agency, Assignment
from tracking import services
from tracking.permissions import Action, can

from ..conftest import TODAY
from ..workflow import office_task
from .test_services import snapshot

pytestmark = pytest.mark.usefixtures("frozen")

ROLES = ["office", "admin", "leader", "lead_officer", "other_officer", "unrelated_officer"]
OFFICE = {"office", "admin"}

# action: (url name, which object, POST data, roles allowed)
ACTIONS = {
    "report": (
        "report-progress",
        "open",
        {"reported_on": TODAY.strftime("%d/%m/%Y"), "percent": "50", "text": "Đã triển khai"},
        {"lead_officer"},
    ),
    "propose": (
        "propose-completion",
        "open",
        {"delivered_on": TODAY.strftime("%d/%m/%Y"), "text": "Đã ban hành"},
        {"lead_officer"},
    ),
    "extension": (
        "request-extension",
        "open",
        {"new_deadline": "31/12/2026", "reason": "Chờ ý kiến"},
        {"lead_officer"},
    ),
    "contribute": ("contribute", "task", {"text": "Đã phối hợp"}, {"other_officer"}),
    "confirm": ("confirm-completion", "proposed", {"completed_on": TODAY.strftime("%d/%m/%Y")}, OFFICE),
    "return": ("return-completion", "proposed", {"reason": "Thiếu hồ sơ"}, OFFICE),
    "decide": ("decide-extension", "extension", {"decision": "approve"}, OFFICE),
    "urge": ("urge-assignment", "open", {"message": "Khẩn trương"}, OFFICE),
    "urge_agency": ("urge-agency", "agency", {"message": "Khẩn trương"}, OFFICE),
    "reassign": ("reassign", "open", {"agency": "SYT", "reason": "Đúng chức năng"}, OFFICE),
    "pause": ("task-pause", "task", {"reason": "Chờ chủ trương"}, OFFICE),
    "cancel": ("task-cancel", "task", {"reason": "Không còn phù hợp"}, OFFICE),
    "edit_task": ("task-edit", "task", None, OFFICE),
    "new_task": ("task-create", "directive", None, OFFICE),
    "new_directive": (
        "directive-create",
        None,
        {"type": "cong_van", "issuer": "UBND tỉnh Cà Mau", "summary": "Về việc thử nghiệm"},
        OFFICE,
    ),
    "comment": ("comment", "task", {"text": "Ưu tiên thực hiện"}, {"leader"}),
}


@pytest.fixture
def world(people):
    office = people["office"]
    task, open_assignment = office_task(office, supporters=("STC",))
    _t, overdue = office_task(office, deadline=TODAY - datetime.timedelta(days=3))
    _t2, proposed = office_task(office)
    services.propose_completion(people["lead_officer"], proposed, version=0, delivered_on=TODAY, text="Xong")
    _t3, extended = office_task(office)
    extension = services.request_extension(
        people["lead_officer"],
        extended,
        version=0,
        new_deadline=TODAY + datetime.timedelta(days=40),
        reason="x",
    )
    return {
        "people": people,
        "task": task,
        "open": Assignment.objects.get(pk=open_assignment.pk),
        "proposed": Assignment.objects.get(pk=proposed.pk),
        "extension": extension,
        "agency": Agency.objects.get(code="SKHDT"),
        "directive": task.directive,
    }


def url_for(world, action):
    name, target, _data, _allowed = ACTIONS[action]
    if target is None:
        return reverse(name)
    if target == "agency":
        return reverse(name, args=[world["agency"].code])
    if target == "directive":
        return reverse(name, args=[world["directive"].pk])
    return reverse(name, args=[world[target].pk])


def post_data(world, action):
    data = dict(ACTIONS[action][2] or {})
    if action in ("report", "propose", "extension", "confirm", "return", "reassign"):
        target = world["proposed"] if action in ("confirm", "return") else world["open"]
        data["version"] = str(target.version)
    if action == "reassign":
        data["agency"] = str(Agency.objects.get(code="SYT").pk)
    if action in ("edit_task", "new_task"):
        task = world["task"]
        data = {
            "version": str(task.version),
            "clause": "T.9" if action == "new_task" else task.clause,
            "item": "1",
            "text": "Nội dung đã sửa",
            "deadline_kind": "date",
            "deadline": "31/12/2026",
            "leads": [str(world["agency"].pk)],
        }
    return data


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_matrix(world, role, action, caplog):
    user = world["people"][role]
    allowed = role in ACTIONS[action][3]
    url = url_for(world, action)
    client = client_for(user)
    before = snapshot()

    with caplog.at_level(logging.WARNING, logger="camau.permissions"):
        shown = client.get(url)
        response = client.post(url, post_data(world, action))

    if allowed:
        assert shown.status_code == 200
        assert response.status_code == 302, response.content.decode()[:2000]
        assert snapshot() != before
    else:
        assert shown.status_code == 403 and response.status_code == 403
        assert "Không có quyền" in response.content.decode()
        assert snapshot() == before
        assert any("refused" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    "role, action, obj, expected",
    [
        ("lead_officer", Action.REPORT_PROGRESS, "open", True),
        ("other_officer", Action.REPORT_PROGRESS, "open", False),
        ("unrelated_officer", Action.CONTRIBUTE, "task", False),
        ("other_officer", Action.CONTRIBUTE, "task", True),
        ("lead_officer", Action.CONTRIBUTE, "task", False),
        ("leader", Action.COMMENT, "task", True),
        ("office", Action.COMMENT, "task", False),
        ("leader", Action.URGE, "open", False),
    ],
)
def test_the_rule_itself(world, role, action, obj, expected):
    assert can(world["people"][role], action, world[obj]) is expected


def test_an_inactive_user_may_do_nothing(world):
    user = world["people"]["lead_officer"]
    user.is_active = False
    assert not can(user, Action.REPORT_PROGRESS, world["open"])


@pytest.mark.parametrize("action", ["report", "confirm", "decide", "comment", "urge_agency"])
def test_unknown_objects_are_404(world, action):
    name, target, _d, _a = ACTIONS[action]
    args = ["NOPE"] if target == "agency" else [999999]
    client = client_for(world["people"]["office" if action != "report" else "lead_officer"])
    assert client.post(reverse(name, args=args), {"text": "x"}).status_code == 404


def test_anonymous_is_sent_to_log_in_and_nothing_changes(world):
    before = snapshot()
    response = Client().post(url_for(world, "report"), post_data(world, "report"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert snapshot() == before


def test_csrf_is_enforced(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["people"]["lead_officer"])
    before = snapshot()
    response = client.post(url_for(world, "report"), post_data(world, "report"))
    assert response.status_code == 403
    assert snapshot() == before
