"""The targets' history has no gaps: locks, unlocks and changes to a target in the admin each leave
one append-only entry (who, when, before, after), shown on the target's page; only the office unlocks."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from targets.models import Actual, ActualChange, AppendOnlyError, Milestone, PeriodLock, Target, TargetEvent
from targets.services import lock_period, report_actual, unlock_period

from ..conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

D = datetime.date
JAN, FEB = D(2023, 1, 31), D(2023, 2, 28)
NOT_OFFICE = ["lead_officer", "other_officer", "unrelated_officer", "leader"]


def state():
    """Everything a refused or failed lock, unlock or admin change must leave untouched."""
    return (
        list(Actual.objects.order_by("id").values_list("id", "value", "note")),
        ActualChange.objects.count(),
        list(PeriodLock.objects.order_by("id").values_list("id", "target_id", "period_end", "locked_by_id")),
        list(TargetEvent.objects.order_by("id").values_list("id", "kind")),
        list(Target.objects.order_by("id").values_list("id", "target_value", "name")),
        list(Milestone.objects.order_by("id").values_list("id", "due", "value")),
    )


@pytest.fixture
def disbursement(targets):
    return targets["2023-GIAI-NGAN"]  # Sở KH&ĐT reports it, monthly, target 95%


def html(response) -> str:
    return response.content.decode()


# Services ---------------------------------------------------------------------------------------


def test_locking_leaves_exactly_one_entry(people, disbursement):
    office = people["office"]
    lock_period(office, disbursement, JAN)
    event = TargetEvent.objects.get()
    assert (event.kind, event.actor, event.at, event.target) == ("locked", office, NOW, disbursement)
    assert (event.period_kind, event.period_end, event.period_display) == ("month", JAN, "Tháng 01/2023")
    assert (event.before, event.after) == ({"locked": False}, {"locked": True})


def test_a_refused_second_lock_leaves_no_entry(people, disbursement):
    lock_period(people["office"], disbursement, JAN)
    before = state()
    with pytest.raises(ValidationError):
        lock_period(people["admin"], disbursement, JAN)
    assert state() == before


def test_the_office_unlocks_a_period_and_it_can_be_reported_again(people, disbursement, frozen):
    office, officer = people["office"], people["lead_officer"]
    report_actual(officer, disbursement, JAN, Decimal("3.5"))
    lock_period(office, disbursement, JAN)
    frozen.shift(datetime.timedelta(hours=2))
    event = unlock_period(people["admin"], disbursement, JAN, reason="  Kho bạc điều chỉnh số liệu  ")
    assert not PeriodLock.objects.exists()
    assert TargetEvent.objects.count() == 2
    assert (event.kind, event.actor, event.at) == (
        "unlocked",
        people["admin"],
        NOW + datetime.timedelta(hours=2),
    )
    assert (event.period_end, event.reason) == (JAN, "Kho bạc điều chỉnh số liệu")
    # Who had locked it, and when, stays in the entry after the lock row is gone.
    locked_at = datetime.datetime.fromisoformat(event.before.pop("locked_at"))
    assert event.before == {"locked": True, "locked_by": office.pk} and locked_at == NOW
    assert event.after == {"locked": False}
    report_actual(officer, disbursement, JAN, Decimal("3.9"))
    assert Actual.objects.get().value == Decimal("3.9")


@pytest.mark.parametrize("role", NOT_OFFICE)
def test_only_the_office_may_unlock(people, disbursement, role):
    lock_period(people["office"], disbursement, JAN)
    before = state()
    with pytest.raises(PermissionDenied):
        unlock_period(people[role], disbursement, JAN, reason="Cần sửa")
    assert state() == before


def test_an_unlock_needs_a_reason_and_a_lock(people, disbursement):
    office = people["office"]
    lock_period(office, disbursement, JAN)
    before = state()
    with pytest.raises(ValidationError) as error:
        unlock_period(office, disbursement, JAN, reason="   ")
    assert error.value.messages == ["Chưa nhập lý do mở khóa."]
    with pytest.raises(ValidationError) as error:
        unlock_period(office, disbursement, FEB, reason="Cần sửa")
    assert error.value.messages == ["Số liệu Tháng 02/2023 chưa bị khóa."]
    assert state() == before


def test_the_targets_history_is_append_only(people, disbursement):
    lock_period(people["office"], disbursement, JAN)
    event = TargetEvent.objects.get()
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        TargetEvent.objects.filter(pk=event.pk).update(reason="sửa")
    with pytest.raises(AppendOnlyError):
        TargetEvent.objects.filter(pk=event.pk).delete()


# The target's page ------------------------------------------------------------------------------


def unlock_url(target):
    return reverse("target-unlock", args=[target.pk])


def test_the_office_unlocks_in_place_with_htmx(client, people, disbursement):
    lock_period(people["office"], disbursement, JAN)
    client.force_login(people["office"])
    page = html(client.get(disbursement.get_absolute_url()))
    assert "Mở khóa số liệu kỳ" in page and '<option value="2023-01-31">Tháng 01/2023</option>' in page
    response = client.post(
        unlock_url(disbursement),
        {"period": "2023-01-31", "reason": "Sở Tài chính đề nghị điều chỉnh"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = html(response)
    assert "<html" not in body and 'id="target-body"' in body
    assert "Đã mở khóa số liệu Tháng 01/2023." in body
    history = body[body.index('id="history"') :]
    assert "Văn phòng mở khóa số liệu kỳ. Lý do: Sở Tài chính đề nghị điều chỉnh" in history
    assert "Văn phòng khóa số liệu kỳ." in history
    assert history.index("mở khóa") < history.index("Văn phòng khóa")  # newest first
    assert not PeriodLock.objects.exists()
    assert list(TargetEvent.objects.values_list("kind", flat=True).order_by("id")) == ["locked", "unlocked"]
    assert "Mở khóa kỳ" not in body  # nothing left to unlock


def test_the_office_unlocks_without_javascript(client, people, disbursement):
    lock_period(people["office"], disbursement, JAN)
    client.force_login(people["admin"])
    response = client.post(unlock_url(disbursement), {"period": "2023-01-31", "reason": "Nhập nhầm"})
    assert response.status_code == 303 and response["Location"] == disbursement.get_absolute_url()
    page = html(client.get(response["Location"]))
    assert "Đã mở khóa số liệu Tháng 01/2023." in page
    assert "Lý do: Nhập nhầm" in page
    assert TargetEvent.objects.filter(kind="unlocked", actor=people["admin"]).count() == 1


@pytest.mark.parametrize("role", NOT_OFFICE)
def test_others_may_not_unlock_and_see_no_form(client, people, disbursement, role):
    lock_period(people["office"], disbursement, JAN)
    client.force_login(people[role])
    assert "Mở khóa" not in html(client.get(disbursement.get_absolute_url()))
    before = state()
    for headers in ({}, {"HX-Request": "true"}):
        response = client.post(
            unlock_url(disbursement), {"period": "2023-01-31", "reason": "Cần sửa"}, headers=headers
        )
        assert response.status_code == 403
    assert state() == before


def test_anonymous_may_not_unlock(disbursement, people):
    lock_period(people["office"], disbursement, JAN)
    before = state()
    response = Client().post(unlock_url(disbursement), {"period": "2023-01-31", "reason": "x"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert state() == before


@pytest.mark.parametrize(
    "data, message",
    [
        ({"period": "2023-01-31", "reason": ""}, "Chưa nhập lý do mở khóa."),
        ({"period": "2023-02-28", "reason": "Cần sửa"}, "Giá trị “2023-02-28” không có trong danh sách."),
        ({"period": "31/01/2023", "reason": "Cần sửa"}, "Giá trị “31/01/2023” không có trong danh sách."),
        ({"period": "2023-01-31", "reason": "x" * 1001}, "Lý do mở khóa dài quá 1000 ký tự."),
        ({"reason": "Cần sửa"}, "Chọn kỳ cần mở khóa."),
    ],
)
def test_bad_unlock_input_is_a_message_and_changes_nothing(client, people, disbursement, data, message):
    lock_period(people["office"], disbursement, JAN)
    client.force_login(people["office"])
    before = state()
    for headers in ({}, {"HX-Request": "true"}):
        response = client.post(unlock_url(disbursement), data, headers=headers)
        assert response.status_code == 400
        assert message in html(response) and "Kỳ chưa được mở khóa." in html(response)
    assert state() == before


def test_unlock_only_accepts_post(client, people, disbursement):
    client.force_login(people["office"])
    assert client.get(unlock_url(disbursement)).status_code == 405


def test_the_page_runs_the_same_queries_however_long_the_lock_history(client, people, disbursement, frozen):
    office = people["office"]
    client.force_login(office)
    lock_period(office, disbursement, JAN)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(disbursement.get_absolute_url()).status_code == 200
        return len(captured)

    first = queries()
    for _ in range(5):
        frozen.shift(datetime.timedelta(minutes=1))
        unlock_period(office, disbursement, JAN, reason="Sửa")
        lock_period(office, disbursement, JAN)
    lock_period(office, disbursement, FEB)
    assert TargetEvent.objects.count() == 12
    # Minutes passed: the first request refreshes the idle session (accounts.middleware), once a minute.
    client.get(disbursement.get_absolute_url())
    assert queries() == first


# The Django admin -------------------------------------------------------------------------------


def _encode(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def admin_form_data(response) -> dict:
    """The POST the admin's change form would send unchanged (main form, inlines, management forms)."""
    data = {}

    def add(form):
        for name in form.fields:
            value = _encode(form[name].value())
            if value is not None:
                data[form.add_prefix(name)] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def admin_client(people) -> Client:
    client = Client()
    client.force_login(people["admin"])
    return client


def test_a_target_changed_in_the_admin_leaves_one_entry_shown_on_its_page(people, disbursement):
    client = admin_client(people)
    url = reverse("admin:targets_target_change", args=[disbursement.pk])
    data = admin_form_data(client.get(url))
    milestone = disbursement.milestones.get(due=D(2023, 3, 31))
    index = next(k for k, v in data.items() if k.endswith("-id") and v == str(milestone.pk)).rsplit("-", 1)[0]
    data["target_value"] = "97.5"
    data[f"{index}-value"] = "30"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = TargetEvent.objects.get()
    assert (event.kind, event.actor, event.at, event.target) == (
        "changed",
        people["admin"],
        NOW,
        disbursement,
    )
    assert event.before["target_value"] == "95" and event.after["target_value"] == "97.5"
    assert ["2023-03-31", "25"] in event.before["milestones"]
    assert ["2023-03-31", "30"] in event.after["milestones"]
    assert set(event.before) == set(event.after) == {"target_value", "milestones"}
    # The target's page shows it with labels and Vietnamese numbers, dates as dd/mm/yyyy.
    client.force_login(people["leader"])
    history = html(client.get(disbursement.get_absolute_url()))
    history = history[history.index('id="history"') :]
    assert "Sửa chỉ tiêu trong trang quản trị: Mức chỉ tiêu: 95 → 97,5;" in history
    assert "31/03/2023: 25" in history and "31/03/2023: 30" in history


def test_an_unchanged_admin_save_leaves_no_entry(people, disbursement):
    client = admin_client(people)
    url = reverse("admin:targets_target_change", args=[disbursement.pk])
    response = client.post(url, admin_form_data(client.get(url)))
    assert response.status_code == 302
    assert not TargetEvent.objects.exists()


def test_the_admin_does_not_delete_targets_nor_touch_locks_and_histories(people, disbursement):
    office = people["office"]
    report_actual(people["lead_officer"], disbursement, JAN, Decimal("3.5"))
    lock = lock_period(office, disbursement, JAN)
    client = admin_client(people)
    before = state()
    refused = [
        reverse("admin:targets_target_delete", args=[disbursement.pk]),
        reverse("admin:targets_periodlock_delete", args=[lock.pk]),
        reverse("admin:targets_periodlock_change", args=[lock.pk]),
        reverse("admin:targets_periodlock_add"),
        reverse("admin:targets_targetevent_delete", args=[TargetEvent.objects.get().pk]),
        reverse("admin:targets_actualchange_delete", args=[ActualChange.objects.get().pk]),
    ]
    for url in refused:
        assert client.post(url, {"post": "yes", "period_end": "2023-02-28"}).status_code == 403, url
    # The list's bulk delete is not offered either.
    for name, pk in [("target", disbursement.pk), ("periodlock", lock.pk)]:
        client.post(
            reverse(f"admin:targets_{name}_changelist"),
            {"action": "delete_selected", "_selected_action": [pk], "post": "yes"},
        )
    assert state() == before
    # The lock is shown, with the way to the page where it is unlocked.
    page = html(client.get(reverse("admin:targets_periodlock_change", args=[lock.pk])))
    assert "Mở trang trong ứng dụng" in page and disbursement.get_absolute_url() in page


def test_the_admin_lists_the_histories_and_locks(people, disbursement):
    lock_period(people["office"], disbursement, JAN)
    client = admin_client(people)
    for name in ["target", "periodlock", "targetevent", "actualchange"]:
        assert client.get(reverse(f"admin:targets_{name}_changelist")).status_code == 200, name
    event = TargetEvent.objects.get()
    assert client.get(reverse("admin:targets_targetevent_change", args=[event.pk])).status_code == 200
    assert client.get(reverse("admin:tracking_directiveevent_changelist")).status_code == 200
