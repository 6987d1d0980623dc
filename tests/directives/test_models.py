"""The register's own rules (directives/models.py): search text without diacritics, validity dates of an
agency, how directives and tasks are named, and an assignment's deadline on creation."""

import datetime

import pytest

from directives.models import Agency, Directive

from .. import factories

pytestmark = pytest.mark.django_db


def test_agency_search_text_folds_names_and_aliases():
    agency = factories.agency(name="Sở Kế hoạch và Đầu tư", short_name="Sở KH&ĐT", aliases=["Sở KHĐT"])
    assert agency.search_text == "so ke hoach va dau tu so kh&dt so khdt"
    assert agency in Agency.objects.filter(search_text__contains="kh&dt so khdt")


def test_agency_is_valid_between_its_dates_inclusive():
    agency = factories.agency(valid_from=datetime.date(2023, 1, 1), valid_to=datetime.date(2025, 2, 28))
    assert not agency.is_valid_on(datetime.date(2022, 12, 31))
    assert agency.is_valid_on(datetime.date(2023, 1, 1))
    assert agency.is_valid_on(datetime.date(2025, 2, 28))
    assert not agency.is_valid_on(datetime.date(2025, 3, 1))
    assert factories.agency().is_valid_on(datetime.date(1990, 1, 1))


def test_directive_and_task_names():
    directive = factories.directive(number="04/CT-UBND", type=Directive.Type.CHI_THI)
    assert str(directive) == "Chỉ thị 04/CT-UBND"
    assert factories.directive(number="").number_display == "(chưa rõ số, ký hiệu)"
    task = factories.task(
        directive, clause="C.3.1.a", item=2, text="Đẩy nhanh tiến độ giải ngân vốn đầu tư công"
    )
    assert task.clause_display == "C.3.1.a, ý 2"
    assert str(task).startswith("C.3.1.a, ý 2: Đẩy nhanh")
    assert task.search_text == "c.3.1.a day nhanh tien do giai ngan von dau tu cong"
    assert task.get_absolute_url() == f"/tasks/{task.pk}/"
    assert directive.get_absolute_url() == f"/directives/{directive.pk}/"


def test_a_new_assignment_takes_the_task_deadline():
    task = factories.task(deadline=datetime.date(2023, 9, 30))
    assignment = factories.assignment(task)
    assignment.refresh_from_db()
    assert assignment.deadline == datetime.date(2023, 9, 30)
    assert assignment.extended_on is None
