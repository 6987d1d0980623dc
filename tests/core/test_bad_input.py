"""Bad input, never a 500, on SQLite and PostgreSQL: dates outside 01/01/2000–31/12/2100, ids and
numbers too large for their columns, NUL characters, over-long text. Each answers 400 (or 404 for an
address that cannot exist) with a Vietnamese message, and changes nothing.

The limits live in core/inputs.py; run this file with DATABASE_URL pointing at PostgreSQL too.
"""

import datetime
import json
from dataclasses import dataclass, field

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from core.inputs import DOCUMENT_TEXT, LONG_TEXT, SHORT_TEXT, IdConverter
from directives.models import Agency, Assignment, Directive, PriorityGroup, Task
from intake.loading.targets import load_targets
from reminders.models import Notification
from summaries.models import Summary
from targets.forms import ReportForm
from targets.models import Actual, ActualChange, PeriodLock, Target
from tracking import services
from tracking.models import Comment, Contribution, Extension, ProgressReport, TaskEvent, Urging

from ..conftest import NOW, TODAY
from ..workflow import office_task

pytestmark = pytest.mark.usefixtures("frozen")

BIGINT_OVER = 2**63  # one past the largest id a bigint holds
HUGE = 2**70
OUT_OF_RANGE_DAYS = ["01/01/0001", "31/12/9999", "31/12/1999", "01/01/2101", "9999-12-31"]
DAY_MESSAGE = "nằm ngoài khoảng cho phép: chỉ nhận ngày từ 01/01/2000 đến 31/12/2100"
NUL_MESSAGE = "ký tự không hợp lệ (ký tự NUL). Không có dữ liệu nào bị thay đổi."
NOT_LISTED = "không có trong danh sách"
STALE_FORM = "Biểu mẫu đã cũ hoặc không hợp lệ"
WATCHED = [
    Directive,
    Task,
    Assignment,
    Agency,
    PriorityGroup,
    ProgressReport,
    Extension,
    Contribution,
    Urging,
    Comment,
    TaskEvent,
    Target,
    Actual,
    ActualChange,
    PeriodLock,
    Summary,
    Notification,
]


def snapshot():
    """Every row a request here could touch, to prove a refused one changed nothing."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in WATCHED}


def too_long(limit: int) -> str:
    return "a" * (limit + 1)


def length_message(limit: int) -> str:
    def vn(n):
        return f"{n:,}".replace(",", ".")

    return f"Nội dung dài {vn(limit + 1)} ký tự, vượt quá giới hạn {vn(limit)} ký tự."


@dataclass
class World:
    people: dict
    task: Task
    assignment: Assignment  # open, led by SKHDT (sokhdt), supported by STC (sotaichinh)
    proposed: Assignment  # proposed as completed, waiting for the office
    extension: Extension  # pending
    target: Target  # SKHDT is responsible
    period: str  # a period the target takes a value for today
    summary: Summary
    extra: dict = field(default_factory=dict)


@pytest.fixture
def world(people) -> World:
    office, lead = people["office"], people["lead_officer"]
    task, assignment = office_task(office)
    _t, proposed = office_task(office)
    services.propose_completion(lead, proposed, version=proposed.version, delivered_on=TODAY, text="Đã xong")
    _t, extended = office_task(office)
    extension = services.request_extension(
        lead,
        extended,
        version=extended.version,
        new_deadline=TODAY + datetime.timedelta(days=40),
        reason="Chờ ý kiến của Bộ",
    )
    load_targets()
    target = Target.objects.filter(responsible_agency__code="SKHDT").order_by("pk").first()
    summary = Summary.objects.create(
        kind="month",
        period_start=datetime.date(2026, 10, 15),
        cut_off=datetime.date(2026, 11, 14),
        label="Tháng 11/2026",
        produced_at=NOW,
    )
    return World(
        people=people,
        task=task,
        assignment=Assignment.objects.get(pk=assignment.pk),
        proposed=Assignment.objects.get(pk=proposed.pk),
        extension=extension,
        target=target,
        period=ReportForm(target, TODAY).fields["period"].choices[0][0],
        summary=summary,
    )


def client_for(world: World, role: str | None) -> Client:
    client = Client(raise_request_exception=False)
    if role:
        client.force_login(world.people[role])
    return client


def text_of(response) -> str:
    body = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        return " ".join(json.loads(body)["errors"])
    return body


def assert_refused(response, status: int, message: str | None, before) -> None:
    assert response.status_code == status, text_of(response)[:2000]
    if message:
        assert message in text_of(response)
    assert snapshot() == before


# --- Dates ----------------------------------------------------------------------------------------

AS_OF_PAGES = [
    "dashboard",
    "dashboard-json",
    "dashboard-csv",
    "dashboard-xlsx",
    "task-list",
    "target-list",
    "target-detail",
]


def page_url(world: World, name: str) -> str:
    return reverse(name, args=[world.target.pk]) if name == "target-detail" else reverse(name)


@pytest.mark.parametrize("day", OUT_OF_RANGE_DAYS)
@pytest.mark.parametrize("name", AS_OF_PAGES)
def test_an_as_of_date_out_of_range_is_a_message(world, name, day):
    before = snapshot()
    response = client_for(world, "office").get(page_url(world, name), {"as_of": day})
    assert_refused(response, 400, f"Ngày “{day}” {DAY_MESSAGE}", before)


@pytest.mark.parametrize("day", ["01/01/2000", "31/12/2100"])
@pytest.mark.parametrize("name", AS_OF_PAGES)
def test_the_first_and_last_days_are_accepted_everywhere(world, name, day):
    """The limits themselves work: no overflow on the figures' own arithmetic (31/12/2100 + 7 days)."""
    response = client_for(world, "office").get(page_url(world, name), {"as_of": day})
    assert response.status_code == 200


def _form(world: World, name: str):
    """(role, url, valid data) of each form that takes a date; the date field is named first."""
    a, p, e = world.assignment, world.proposed, world.extension
    directive = a.task.directive
    task_data = {"clause": "Z.9", "item": "1", "text": "Nhiệm vụ mới", "deadline_kind": "date"}
    task_data |= {"leads": [str(a.agency_id)]}
    forms = {
        "report-progress": (
            "lead_officer",
            reverse("report-progress", args=[a.pk]),
            {"reported_on": "", "percent": "10", "text": "Đang làm", "version": a.version},
        ),
        "propose-completion": (
            "lead_officer",
            reverse("propose-completion", args=[a.pk]),
            {"delivered_on": "", "text": "Đã xong", "version": a.version},
        ),
        "request-extension": (
            "lead_officer",
            reverse("request-extension", args=[a.pk]),
            {"new_deadline": "", "reason": "Chờ ý kiến", "version": a.version},
        ),
        "confirm-completion": (
            "office",
            reverse("confirm-completion", args=[p.pk]),
            {"completed_on": "", "note": "", "version": p.version},
        ),
        "decide-extension": (
            "office",
            reverse("decide-extension", args=[e.pk]),
            {"new_deadline": "", "decision": "approve", "note": ""},
        ),
        "directive-create": (
            "office",
            reverse("directive-create"),
            {"issue_date": "", "number": "77/KH-UBND", "type": "ke_hoach", "summary": "Kế hoạch"},
        ),
        "task-create": ("office", reverse("task-create", args=[directive.pk]), {"deadline": ""} | task_data),
        "task-edit": (
            "office",
            reverse("task-edit", args=[a.task.pk]),
            {"deadline": ""} | task_data | {"version": a.task.version},
        ),
        "summary-produce": ("office", reverse("summary-produce"), {"cut_off": "", "kind": "month"}),
    }
    return forms[name]


DATE_FORMS = [
    "report-progress",
    "propose-completion",
    "request-extension",
    "confirm-completion",
    "decide-extension",
    "directive-create",
    "task-create",
    "task-edit",
    "summary-produce",
]


@pytest.mark.parametrize("day", ["01/01/0001", "31/12/9999", "01/01/2101"])
@pytest.mark.parametrize("name", DATE_FORMS)
def test_a_form_date_out_of_range_is_a_message_and_saves_nothing(world, name, day):
    role, url, data = _form(world, name)
    date_field = next(iter(data))
    before = snapshot()
    response = client_for(world, role).post(url, data | {date_field: day})
    assert_refused(response, 400, f"Ngày “{day}” {DAY_MESSAGE}", before)


def test_a_task_due_on_the_last_day_is_saved(world):
    role, url, data = _form(world, "task-create")
    response = client_for(world, role).post(url, data | {"deadline": "31/12/2100"})
    assert response.status_code == 302
    assert Task.objects.get(clause="Z.9").deadline == datetime.date(2100, 12, 31)


def test_the_remind_command_refuses_a_day_out_of_range(db):
    with pytest.raises(CommandError, match="nằm ngoài khoảng cho phép"):
        call_command("remind", "--dry-run", "--date", "31/12/9999")


# --- Huge integers --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["dashboard", "dashboard-json", "dashboard-csv", "task-list"])
@pytest.mark.parametrize(
    "query",
    [
        {"directive": str(BIGINT_OVER)},
        {"directive": str(-BIGINT_OVER - 1)},
        {"leader": str(HUGE)},
        {"directive": "9" * 5000},
        {"group": str(HUGE)},
        {"agency": "x" * 500},
    ],
)
def test_a_huge_id_in_the_filters_is_a_message(world, name, query):
    before = snapshot()
    response = client_for(world, "office").get(reverse(name), query)
    assert_refused(response, 400, NOT_LISTED, before)


def test_a_huge_page_number_is_a_message(world):
    response = client_for(world, "office").get(reverse("task-list"), {"page": str(HUGE)})
    assert_refused(response, 400, "không tồn tại", snapshot())


def _id_patterns(resolver=None, prefix=""):
    """Every URL pattern with its route, recursing into includes."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _id_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield entry, prefix + str(entry.pattern)


OUR_ID_ROUTES = [
    (entry.name, route)
    for entry, route in _id_patterns()
    if any(isinstance(c, IdConverter) for c in entry.pattern.converters.values())
]


def test_every_numbered_address_of_ours_takes_a_bounded_id():
    """No route of the app takes `<int:…>` (unbounded: the database gets the number); the admin's own
    are Django's business."""
    unbounded = [
        route
        for entry, route in _id_patterns()
        if not route.startswith("admin/")
        and any(isinstance(c, IntConverter) for c in entry.pattern.converters.values())
    ]
    assert unbounded == []
    assert len(OUR_ID_ROUTES) >= 25


def _address(name: str, route: str, number: int) -> str:
    entry = next(e for e, r in _id_patterns() if r == route)
    placeholder = 987654321
    url = reverse(name, kwargs=dict.fromkeys(entry.pattern.converters, placeholder))
    return url.replace(str(placeholder), str(number))


ROUTE_IDS = [name for name, _route in OUR_ID_ROUTES]


@pytest.mark.parametrize("number", [BIGINT_OVER, HUGE, 10**25])
@pytest.mark.parametrize(("name", "route"), OUR_ID_ROUTES, ids=ROUTE_IDS)
def test_a_huge_id_in_an_address_is_a_404(world, name, route, number):
    url = _address(name, route, number)
    client = client_for(world, "office")
    before = snapshot()
    assert_refused(client.get(url), 404, None, before)
    assert_refused(client.post(url, {"text": "x", "reason": "x"}), 404, None, before)


@pytest.mark.parametrize(("name", "route"), OUR_ID_ROUTES, ids=ROUTE_IDS)
def test_the_largest_id_is_simply_not_found(world, name, route):
    """2^63 - 1 fits the column: the lookup runs and finds nothing (405 where the method is wrong)."""
    url = _address(name, route, 2**63 - 1)
    client = client_for(world, "office")
    before = snapshot()
    for response in (client.get(url), client.post(url, {"text": "x", "reason": "x"})):
        assert response.status_code in (404, 405), (url, response.status_code)
    assert snapshot() == before


def test_the_id_converter_round_trips_and_refuses_beyond_a_bigint():
    converter = IdConverter()
    assert converter.to_python("9223372036854775807") == 2**63 - 1
    assert converter.to_url(42) == "42"
    with pytest.raises(ValueError):
        converter.to_python("9223372036854775808")


def _task_post(world: World, **changes):
    _role, url, data = _form(world, "task-create")
    return url, data | {"deadline": "31/12/2026"} | changes


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"item": "32768"}, "Số 32.768 nằm ngoài khoảng cho phép: từ 0 đến 32.767."),
        ({"item": str(HUGE)}, "nằm ngoài khoảng cho phép: từ 0 đến 32.767."),
        ({"item": "-1"}, "Số -1 nằm ngoài khoảng cho phép: từ 0 đến 32.767."),
        ({"leads": [str(BIGINT_OVER)]}, f"Cơ quan “{BIGINT_OVER}” không có trong danh sách."),
        ({"supporters": [str(HUGE)]}, f"Cơ quan “{HUGE}” không có trong danh sách."),
        ({"groups": [str(BIGINT_OVER)]}, f"Giá trị “{BIGINT_OVER}” không có trong danh sách."),
        ({"leader": str(BIGINT_OVER)}, f"Giá trị “{BIGINT_OVER}” không có trong danh sách."),
        ({"leader": str(-BIGINT_OVER)}, "không có trong danh sách."),
    ],
)
def test_the_task_form_checks_the_columns_ranges_and_ids(world, changes, message):
    url, data = _task_post(world, **changes)
    before = snapshot()
    assert_refused(client_for(world, "office").post(url, data), 400, message, before)


def test_the_largest_item_is_saved(world):
    url, data = _task_post(world, item="32767")
    assert client_for(world, "office").post(url, data).status_code == 302
    assert Task.objects.get(clause="Z.9").item == 32767


@pytest.mark.parametrize(
    ("role", "url_of", "data", "message"),
    [
        (
            "office",
            lambda w: reverse("task-edit", args=[w.task.pk]),
            {"clause": "T.1", "item": "1", "text": "x", "deadline_kind": "none", "version": str(BIGINT_OVER)},
            STALE_FORM,
        ),
        (
            "office",
            lambda w: reverse("reassign", args=[w.assignment.pk]),
            {"agency": str(BIGINT_OVER), "reason": "Chuyển", "version": "0"},
            "Cơ quan đã chọn không có trong danh sách.",
        ),
        (
            "lead_officer",
            lambda w: reverse("report-progress", args=[w.assignment.pk]),
            {"reported_on": "22/11/2026", "percent": str(HUGE), "text": "x", "version": "0"},
            "Tiến độ phải từ 0 đến 100%.",
        ),
        (
            "lead_officer",
            lambda w: reverse("report-progress", args=[w.assignment.pk]),
            {"reported_on": "22/11/2026", "percent": "10", "text": "x", "version": str(HUGE)},
            STALE_FORM,
        ),
        (
            "office",
            lambda w: reverse("summary-again", args=[w.summary.pk]),
            {"version": str(BIGINT_OVER)},
            "Phiên bản báo cáo không hợp lệ.",
        ),
        (
            "office",
            lambda w: reverse("summary-list") + f"?year={HUGE}",
            None,
            "Năm phải từ 2000 đến 2100.",
        ),
    ],
)
def test_huge_numbers_in_forms_are_a_message(world, role, url_of, data, message):
    client = client_for(world, role)
    before = snapshot()
    url = url_of(world)
    response = client.get(url) if data is None else client.post(url, data)
    assert_refused(response, 400, message, before)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1.000.000.000.000", "Giá trị quá lớn: chỉ nhận số từ -999.999.999.999 đến 999.999.999.999."),
        ("-999999999999,5", "Giá trị quá lớn"),
        ("0,00001", "Giá trị “0,00001” có quá 4 chữ số thập phân."),
        ("1" * 41, length_message(40)),
    ],
)
def test_a_target_value_beyond_its_column_is_a_message(world, value, message):
    url = reverse("target-report", args=[world.target.pk])
    before = snapshot()
    response = client_for(world, "lead_officer").post(url, {"period": world.period, "value": value})
    assert_refused(response, 400, message, before)


def test_a_target_value_with_four_decimals_is_saved(world):
    url = reverse("target-report", args=[world.target.pk])
    data = {"period": world.period, "value": "12,3456", "confirm": "on", "confirmed_value": "12,3456"}
    response = client_for(world, "lead_officer").post(url, data)
    assert response.status_code == 303
    assert str(Actual.objects.get(target=world.target).value) == "12.3456"


# --- NUL characters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/tasks/?q=a%00b",
        "/?as_of=%00",
        "/tasks/?a%00=1",
        "/workspace/?agency=%00",
        "/agencies/%00/urge/",
        "/tasks/%00/",
        "/summaries/?kind=month%00",
        "/dashboard.json?agency=%00",
        "/dashboard.csv?group=SKHDT%00",
        "/login/?next=/%00",
    ],
)
def test_a_nul_in_the_address_is_a_400(world, url):
    before = snapshot()
    assert_refused(client_for(world, "office").get(url), 400, NUL_MESSAGE, before)


def test_the_json_export_answers_a_nul_in_json(world):
    response = client_for(world, "office").get("/dashboard.json?agency=%00")
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            "Địa chỉ hoặc dữ liệu gửi lên có ký tự không hợp lệ (ký tự NUL). Không có dữ liệu nào bị thay đổi."
        ]
    }


@pytest.mark.parametrize(
    ("role", "url_of", "data"),
    [
        ("leader", lambda w: reverse("comment", args=[w.task.pk]), {"text": "Chỉ đạo\x00"}),
        (
            "office",
            lambda w: reverse("directive-create"),
            {"number": "5/KH", "type": "ke_hoach", "summary": "Kế\x00 hoạch"},
        ),
        ("office", lambda w: reverse("urge-agency", args=["SKHDT"]), {"message\x00": "Đề nghị"}),
        (
            "lead_officer",
            lambda w: reverse("target-report", args=[w.target.pk]),
            {"period": "x", "value": "1", "note": "\x00"},
        ),
        (None, lambda w: reverse("login"), {"username": "vanphong\x00", "password": "camau2023"}),
    ],
)
def test_a_nul_in_a_posted_form_is_a_400_and_changes_nothing(world, role, url_of, data):
    client = client_for(world, role)
    before = snapshot()
    response = client.post(url_of(world), data)
    assert_refused(response, 400, NUL_MESSAGE, before)
    if role is None:
        assert "_auth_user_id" not in client.session


# --- Text length ----------------------------------------------------------------------------------


TEXT_CASES = [
    # (role, form name or URL builder, field, limit)
    ("lead_officer", "report-progress", "text", LONG_TEXT),
    ("lead_officer", "propose-completion", "text", LONG_TEXT),
    ("lead_officer", "request-extension", "reason", SHORT_TEXT),
    ("office", "confirm-completion", "note", SHORT_TEXT),
    ("office", "decide-extension", "note", SHORT_TEXT),
    ("office", "directive-create", "summary", SHORT_TEXT),
    ("office", "directive-create", "text", DOCUMENT_TEXT),
    ("office", "directive-create", "number", 64),
    ("office", "directive-create", "signer", 120),
    ("office", "task-create", "text", LONG_TEXT),
    ("office", "task-create", "clause", 32),
    ("office", "task-create", "deadline_text", 200),
    ("office", "task-edit", "text", LONG_TEXT),
]


def _valid(world: World, name: str):
    role, url, data = _form(world, name)
    date_field = next(iter(data))
    day = {"decide-extension": "31/12/2026", "task-create": "31/12/2026", "task-edit": "31/12/2026"}
    day |= {"directive-create": "01/11/2026", "request-extension": "31/12/2026"}
    return url, data | {date_field: day.get(name, "22/11/2026")}


@pytest.mark.parametrize(("role", "name", "field_name", "limit"), TEXT_CASES)
def test_over_long_text_is_a_message_and_saves_nothing(world, role, name, field_name, limit):
    url, data = _valid(world, name)
    before = snapshot()
    response = client_for(world, role).post(url, data | {field_name: too_long(limit)})
    assert_refused(response, 400, length_message(limit), before)


@pytest.mark.parametrize(
    ("role", "url_of", "data", "field_name", "limit"),
    [
        ("other_officer", lambda w: reverse("contribute", args=[w.task.pk]), {}, "text", LONG_TEXT),
        ("leader", lambda w: reverse("comment", args=[w.task.pk]), {}, "text", LONG_TEXT),
        ("office", lambda w: reverse("urge-assignment", args=[w.assignment.pk]), {}, "message", SHORT_TEXT),
        ("office", lambda w: reverse("urge-agency", args=["SKHDT"]), {}, "message", SHORT_TEXT),
        (
            "office",
            lambda w: reverse("return-completion", args=[w.proposed.pk]),
            {"version": "0"},
            "reason",
            SHORT_TEXT,
        ),
        (
            "office",
            lambda w: reverse("reassign", args=[w.assignment.pk]),
            {"version": "0", "agency": lambda w: str(Agency.objects.get(code="SYT").pk)},
            "reason",
            SHORT_TEXT,
        ),
        ("office", lambda w: reverse("task-pause", args=[w.task.pk]), {}, "reason", SHORT_TEXT),
        ("office", lambda w: reverse("task-cancel", args=[w.task.pk]), {}, "reason", SHORT_TEXT),
        (
            "lead_officer",
            lambda w: reverse("target-report", args=[w.target.pk]),
            {"period": "", "value": "5"},
            "note",
            SHORT_TEXT,
        ),
    ],
)
def test_over_long_text_in_the_other_forms_is_a_message(world, role, url_of, data, field_name, limit):
    data = {key: value(world) if callable(value) else value for key, value in data.items()}
    if "period" in data:
        data = data | {"period": world.period}
    before = snapshot()
    response = client_for(world, role).post(url_of(world), data | {field_name: too_long(limit)})
    assert_refused(response, 400, length_message(limit), before)


def test_an_over_long_search_is_a_message(world):
    response = client_for(world, "office").get(reverse("task-list"), {"q": too_long(200)})
    assert_refused(response, 400, length_message(200), snapshot())


def test_a_report_exactly_at_the_limit_is_saved(world):
    url, data = _valid(world, "report-progress")
    response = client_for(world, "lead_officer").post(url, data | {"text": "b" * LONG_TEXT})
    assert response.status_code == 302
    assert ProgressReport.objects.get(assignment=world.assignment).text == "b" * LONG_TEXT
