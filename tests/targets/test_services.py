"""Reporting values and locking periods through targets.services: permission, history, checks."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from targets.models import Actual, ActualChange, AppendOnlyError, PeriodLock
from targets.progress import Flag
from targets.services import NeedsConfirmation, lock_period, record_actual, report_actual
from tracking.permissions import SYSTEM

from ..conftest import NOW

pytestmark = pytest.mark.django_db

D = datetime.date
JAN, FEB, MAR = D(2023, 1, 31), D(2023, 2, 28), D(2023, 3, 31)


def state():
    """Everything a refused or failed report must leave untouched."""
    return (
        list(Actual.objects.order_by("id").values_list("id", "value", "note", "flags", "file")),
        ActualChange.objects.count(),
        PeriodLock.objects.count(),
    )


@pytest.fixture
def disbursement(targets):
    return targets["2023-GIAI-NGAN"]  # Sở KH&ĐT reports it


def test_the_responsible_agency_reports_a_value(people, disbursement, frozen):
    actual = report_actual(
        people["lead_officer"], disbursement, JAN, Decimal("3.5"), note="Theo báo cáo Kho bạc"
    )
    assert (actual.period_kind, actual.value, actual.note) == (
        "month",
        Decimal("3.5"),
        "Theo báo cáo Kho bạc",
    )
    assert actual.reported_by == people["lead_officer"] and actual.reported_on == NOW.date()
    assert actual.flags == [] and not actual.is_simulated
    change = ActualChange.objects.get()
    assert (change.before_value, change.after_value, change.changed_by) == (
        None,
        Decimal("3.5"),
        people["lead_officer"],
    )
    assert change.at == NOW


def test_a_correction_keeps_the_old_value_in_the_history(people, disbursement, frozen):
    officer = people["lead_officer"]
    report_actual(officer, disbursement, JAN, Decimal("3.5"), note="Ước tính")
    frozen.shift(datetime.timedelta(days=2))
    report_actual(officer, disbursement, JAN, Decimal("3.9"), note="Số chính thức")
    actual = Actual.objects.get()
    assert actual.value == Decimal("3.9") and actual.note == "Số chính thức"
    newest, first = ActualChange.objects.order_by("-at")
    assert (newest.before_value, newest.after_value) == (Decimal("3.5"), Decimal("3.9"))
    assert (newest.before_note, newest.after_note) == ("Ước tính", "Số chính thức")
    assert first.before_value is None
    assert newest.at - first.at == datetime.timedelta(days=2)


def test_the_history_is_append_only(people, disbursement, frozen):
    report_actual(people["lead_officer"], disbursement, JAN, Decimal("3.5"))
    change = ActualChange.objects.get()
    with pytest.raises(AppendOnlyError):
        change.save()
    with pytest.raises(AppendOnlyError):
        change.delete()
    with pytest.raises(AppendOnlyError):
        ActualChange.objects.filter(pk=change.pk).update(after_note="sửa")
    with pytest.raises(AppendOnlyError):
        ActualChange.objects.filter(pk=change.pk).delete()


@pytest.mark.parametrize("role", ["other_officer", "unrelated_officer", "office", "leader", "admin"])
def test_nobody_else_may_report(people, disbursement, role, frozen):
    before = state()
    with pytest.raises(PermissionDenied):
        report_actual(people[role], disbursement, JAN, Decimal("3.5"))
    assert state() == before


def test_a_period_that_has_not_begun_or_is_not_the_targets_is_refused(people, targets, frozen):
    officer = people["lead_officer"]
    simulated_2027 = D(2027, 1, 31)
    before = state()
    with pytest.raises(ValidationError) as error:
        report_actual(officer, targets["2023-GIAI-NGAN"], D(2023, 3, 15), Decimal("20"))
    assert "không thuộc các kỳ của chỉ tiêu này" in error.value.messages[0]
    assert "15/03/2023" in error.value.messages[0]
    with pytest.raises(ValidationError):
        report_actual(officer, targets["2023-GIAI-NGAN"], D(2024, 2, 29), Decimal("96"))
    with pytest.raises(ValidationError):
        report_actual(officer, targets["2023-GRDP"], simulated_2027, Decimal("7"))
    # GRDP is quarterly: a month end that is not a quarter end is not one of its periods.
    with pytest.raises(ValidationError):
        report_actual(officer, targets["2023-GRDP"], FEB, Decimal("7"))
    assert state() == before


def test_the_current_period_may_be_reported_but_not_a_future_one(people, targets, frozen):
    target = targets["2026-BIEN-CHE-CC"]  # Sở Nội vụ, quarterly to 31/12/2026
    home_affairs = people["unrelated_officer"]
    home_affairs.agency = target.responsible_agency
    home_affairs.save()
    report_actual(home_affairs, target, D(2026, 12, 31), Decimal("4.2"))  # Q4 began on 01/10/2026
    assert Actual.objects.get().period_kind == "quarter"
    frozen.move_to(datetime.datetime(2026, 9, 20, 9, tzinfo=NOW.tzinfo))
    with pytest.raises(ValidationError):
        report_actual(home_affairs, target, D(2026, 12, 31), Decimal("4.2"))


def test_the_office_locks_a_period_and_its_value_no_longer_changes(people, disbursement, frozen):
    officer, office = people["lead_officer"], people["office"]
    report_actual(officer, disbursement, JAN, Decimal("3.5"))
    lock = lock_period(office, disbursement, JAN)
    assert (lock.locked_by, lock.locked_at) == (office, NOW)
    before = state()
    with pytest.raises(ValidationError) as error:
        report_actual(officer, disbursement, JAN, Decimal("4"))
    assert error.value.messages == ["Số liệu Tháng 01/2023 đã được Văn phòng khóa, không thể thay đổi."]
    with pytest.raises(ValidationError) as error:
        lock_period(office, disbursement, JAN)
    assert "đã được khóa từ trước" in error.value.messages[0]
    assert state() == before
    # Other periods stay open.
    report_actual(officer, disbursement, FEB, Decimal("8"))


@pytest.mark.parametrize("role", ["lead_officer", "other_officer", "leader"])
def test_only_the_office_may_lock(people, disbursement, role, frozen):
    with pytest.raises(PermissionDenied):
        lock_period(people[role], disbursement, JAN)
    assert not PeriodLock.objects.exists()


def test_a_percentage_above_100_is_flagged_and_needs_confirmation(people, disbursement, frozen):
    officer = people["lead_officer"]
    before = state()
    with pytest.raises(NeedsConfirmation) as pending:
        report_actual(officer, disbursement, JAN, Decimal("103"))
    assert pending.value.flags == [Flag.OUT_OF_RANGE]
    assert pending.value.messages == ["Tỷ lệ phải nằm trong khoảng từ 0% đến 100%"]
    assert state() == before
    actual = report_actual(officer, disbursement, JAN, Decimal("103"), confirm=True)
    assert actual.flags == ["out_of_range"]
    assert ActualChange.objects.get().flags == ["out_of_range"]


def test_a_cumulative_figure_that_goes_down_is_flagged(people, disbursement, frozen):
    officer = people["lead_officer"]
    report_actual(officer, disbursement, JAN, Decimal("5"))
    report_actual(officer, disbursement, FEB, Decimal("12"))
    with pytest.raises(NeedsConfirmation) as pending:
        report_actual(officer, disbursement, MAR, Decimal("11"))
    assert pending.value.flags == [Flag.CUMULATIVE_DOWN]
    # Correcting a month so that it passes the next one is caught too.
    with pytest.raises(NeedsConfirmation):
        report_actual(officer, disbursement, JAN, Decimal("13"))
    assert Actual.objects.count() == 2


def test_a_jump_far_outside_the_series_is_flagged(people, disbursement, frozen):
    officer = people["lead_officer"]
    for day, value in [(JAN, "3"), (FEB, "9"), (MAR, "15")]:
        report_actual(officer, disbursement, day, Decimal(value))
    with pytest.raises(NeedsConfirmation) as pending:
        report_actual(officer, disbursement, D(2023, 4, 30), Decimal("45"))
    assert pending.value.flags == [Flag.JUMP]
    report_actual(officer, disbursement, D(2023, 4, 30), Decimal("21"))


def test_a_baseline_the_text_does_not_give_is_reported_by_the_agency(people, targets, frozen):
    target = targets["2023-HO-NGHEO"]  # reduce by 0,8 point from the end-2022 rate
    labour = people["unrelated_officer"]
    labour.agency = target.responsible_agency
    labour.save()
    assert target.takes_reported_baseline
    assert target.reporting_periods(NOW.date())[0] == ("baseline", D(2022, 12, 31))
    actual = report_actual(labour, target, D(2022, 12, 31), Decimal("2.95"))
    assert actual.period_kind == "baseline" and actual.period_display == "Kỳ gốc (31/12/2022)"
    # A target whose baseline the text gives takes none.
    assert not targets["2023-GIAI-NGAN"].takes_reported_baseline
    with pytest.raises(ValidationError):
        report_actual(people["lead_officer"], targets["2023-GIAI-NGAN"], D(2022, 12, 31), Decimal("1"))


def test_a_value_the_column_cannot_hold_is_refused(disbursement, frozen):
    before = state()
    for value in [Decimal("NaN"), Decimal("Infinity"), Decimal("1e13")]:
        with pytest.raises(ValidationError):
            record_actual(disbursement, JAN, value, by=SYSTEM)
    assert state() == before


def pdf(name="bao-cao.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def xlsx(name="so-lieu.xlsx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def test_an_evidence_file_is_kept_when_its_content_matches(people, disbursement, frozen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    actual = report_actual(people["lead_officer"], disbursement, JAN, Decimal("3.5"), file=pdf())
    assert actual.file.name.startswith("targets/2026/11/") and actual.file.name.endswith(".pdf")
    assert (tmp_path / actual.file.name).read_bytes().startswith(b"%PDF-")
    assert ActualChange.objects.get().file_name == actual.file.name
    actual = report_actual(people["lead_officer"], disbursement, FEB, Decimal("8"), file=xlsx())
    assert actual.file.name.endswith(".xlsx")


def test_a_file_whose_content_does_not_match_is_refused_and_nothing_is_saved(
    people, disbursement, frozen, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    before = state()
    fake = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError) as error:
        report_actual(people["lead_officer"], disbursement, JAN, Decimal("3.5"), file=fake)
    assert "không đúng định dạng PDF" in error.value.messages[0]
    with pytest.raises(ValidationError):
        report_actual(people["lead_officer"], disbursement, JAN, Decimal("3.5"), file=pdf("virus.exe"))
    assert state() == before
    assert not any(tmp_path.rglob("*.*"))


def test_the_simulation_writes_as_the_system_and_no_one_writes_without_an_actor(people, disbursement, frozen):
    before = state()
    for actor in (None, people["office"], people["unrelated_officer"]):
        with pytest.raises(PermissionDenied):
            record_actual(disbursement, JAN, Decimal("3.5"), by=actor)
    assert state() == before
    actual = record_actual(disbursement, JAN, Decimal("3.5"), by=SYSTEM, is_simulated=True)
    assert actual.reported_by is None
    assert ActualChange.objects.get(actual=actual).changed_by is None
