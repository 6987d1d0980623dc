"""The bell, the notification list, the bulletin and the agency's reminders, tried by each person."""

import re

import pytest
import time_machine
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reminders import jobs
from reminders.models import Notification

from .conftest import MON, at, make_assignment

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def monday():
    """The pages judge "today" from the clock: Monday 23/11/2026, 09:00 in Cà Mau."""
    with time_machine.travel(at(MON, 9), tick=False):
        yield


@pytest.fixture
def reminded(team, monday):
    assignment = make_assignment(
        team, MON, supporters=[team.support], text="Báo cáo tình hình giải ngân vốn đầu tư công"
    )
    jobs.scan_and_create_reminders(at(MON, 0, 5))
    return assignment


def bell_count(html: str) -> int:
    match = re.search(r'class="bell-count">(\d+)<', html)
    return int(match[1]) if match else 0


def test_the_bell_shows_the_unread_count_and_the_list_shows_the_reminder(client, team, reminded):
    client.force_login(team.lead_mail)
    page = client.get(reverse("task-list")).content.decode()
    assert bell_count(page) == 1
    assert 'href="/notifications/"' in page
    listing = client.get(reverse("notifications")).content.decode()
    assert "Đến hạn ngày 23/11/2026" in listing
    assert "Báo cáo tình hình giải ngân vốn đầu tư công" in listing
    assert "Đánh dấu đã đọc" in listing
    # The supporting agency's officer is told, as supporting agency; an unrelated officer is not.
    client.force_login(team.supporter)
    assert "(cơ quan phối hợp)" in client.get(reverse("notifications")).content.decode()
    client.force_login(team.outsider)
    page = client.get(reverse("notifications")).content.decode()
    assert bell_count(page) == 0 and "Chưa có thông báo nhắc việc nào." in page


def test_marking_read_without_javascript(client, team, reminded):
    client.force_login(team.lead_mail)
    notification = Notification.objects.get(user=team.lead_mail)
    response = client.post(reverse("notification-read", args=[notification.pk]), {"page": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("notifications")
    notification.refresh_from_db()
    assert notification.read_at == at(MON, 9)
    page = client.get(response["Location"]).content.decode()
    assert bell_count(page) == 0 and "đã đọc" in page
    # Marking it again changes nothing.
    client.post(reverse("notification-read", args=[notification.pk]))
    notification.refresh_from_db()
    assert notification.read_at == at(MON, 9)


def test_marking_read_in_place_with_htmx_updates_the_bell(client, team, reminded):
    client.force_login(team.lead_mail)
    notification = Notification.objects.get(user=team.lead_mail)
    response = client.post(reverse("notification-read", args=[notification.pk]), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="bell"' in html and 'hx-swap-oob="true"' in html and bell_count(html) == 0


def test_mark_all_read_touches_only_ones_own(client, team, reminded):
    client.force_login(team.lead_nomail)
    response = client.post(reverse("notifications-read-all"), **HTMX)
    assert response.status_code == 200
    assert not Notification.objects.filter(user=team.lead_nomail, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=team.lead_mail, read_at__isnull=True).count() == 1
    assert Notification.objects.filter(user=team.supporter, read_at__isnull=True).count() == 1


def test_nobody_marks_someone_elses_notification(client, team, reminded):
    notification = Notification.objects.get(user=team.lead_mail)
    url = reverse("notification-read", args=[notification.pk])
    for person in (team.outsider, team.lead_nomail, team.office, team.leader):
        client.force_login(person)
        assert client.post(url).status_code == 404
    client.logout()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.post(reverse("notifications-read-all")).status_code == 302
    client.force_login(team.lead_mail)
    assert client.get(url).status_code == 405
    assert client.get(reverse("notifications-read-all")).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_a_page_that_does_not_exist_gets_a_message(client, team, reminded):
    client.force_login(team.lead_mail)
    response = client.get(reverse("notifications"), {"page": "99"})
    assert response.status_code == 400
    assert "Trang “99” không tồn tại: danh sách có 1 trang." in response.content.decode()


def test_the_office_dashboard_shows_the_bulletin_that_refreshes_itself(client, team, reminded):
    client.force_login(team.office)
    html = client.get(reverse("dashboard")).content.decode()
    # The page holds the bulletin's place; htmx fills it once the page is shown, then every minute.
    assert 'id="reminder-bulletin"' in html
    assert 'hx-get="/reminders/bulletin/"' in html and 'hx-trigger="load, every 60s"' in html
    assert 'href="/reminders/bulletin/"' in html  # the same address as a plain link, without JavaScript
    bulletin = client.get(reverse("reminder-bulletin"), **HTMX).content.decode()
    assert bulletin.lstrip().startswith('<section id="reminder-bulletin"')
    assert 'hx-trigger="every 60s"' in bulletin
    assert "Bảng tin đôn đốc ngày 23/11/2026" in bulletin
    assert "Sở TN</strong>: Đến hạn ngày 23/11/2026" in bulletin
    # Agency users and leaders have their own dashboard: no bulletin on it.
    for person in (team.lead_mail, team.leader):
        client.force_login(person)
        assert 'id="reminder-bulletin"' not in client.get(reverse("dashboard")).content.decode()


def test_the_bulletin_polled_by_htmx_is_just_the_partial(client, team, reminded):
    client.force_login(team.office)
    response = client.get(reverse("reminder-bulletin"), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<section id="reminder-bulletin"')
    assert "Đến hạn ngày 23/11/2026" in html
    # The overdue table counts by agency (the most overdue first); today's digest state is shown.
    for _ in range(40):
        make_assignment(team, MON.replace(day=10))  # late, but no weekly notice falls today
    jobs.scan_and_create_reminders(at(MON, 9, 30))
    jobs.send_due_digests(at(MON, 9, 30))
    html = client.get(reverse("reminder-bulletin"), **HTMX).content.decode()
    rows = re.findall(r"<tr><td><a [^>]*>([^<]*)</a></td>(.*?)</tr>", html, re.S)
    assert rows[0][0] == "Sở TN"
    assert re.findall(r'<td class="num">(\d+)</td>', rows[0][1]) == ["40", "0", "1"]
    assert "đã gửi thư lúc 09:30" in rows[0][1]


def test_everyone_signed_in_may_read_the_bulletin(client, team, reminded):
    for person in (team.office, team.leader, team.lead_mail, team.outsider):
        client.force_login(person)
        response = client.get(reverse("reminder-bulletin"))
        assert response.status_code == 200 and "<html" in response.content.decode()
    client.logout()
    assert client.get(reverse("reminder-bulletin")).status_code == 302


def test_the_agency_reminders_tag_lists_what_the_agency_was_told(team, reminded, django_assert_num_queries):
    template = Template("{% load reminders_tags %}{% agency_reminders agency %}")
    with django_assert_num_queries(1):
        html = template.render(Context({"agency": team.support}))
    assert "Đến hạn ngày 23/11/2026 (cơ quan phối hợp)" in html
    assert "Báo cáo tình hình giải ngân vốn đầu tư công" in html
    html = Template("{% load reminders_tags %}{% agency_reminders agency %}").render(
        Context({"agency": team.other})
    )
    assert "Chưa có nhắc việc nào." in html


def count_queries(client, url, **extra) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return len(queries)


def test_query_counts_do_not_grow_with_the_reminders(client, team, monday, django_assert_num_queries):
    pages = {
        "notifications": (team.lead_mail, reverse("notifications"), {}),
        "bulletin": (team.office, reverse("reminder-bulletin"), {}),
        "bulletin-htmx": (team.office, reverse("reminder-bulletin"), HTMX),
        "dashboard-office": (team.office, reverse("dashboard"), {}),
        "task-list-agency": (team.lead_mail, reverse("task-list"), {}),
    }
    for _ in range(10):
        make_assignment(team, MON, supporters=[team.support])
    make_assignment(team, MON.replace(day=1))
    jobs.scan_and_create_reminders(at(MON, 0, 5))

    def measure():
        result = {}
        for name, (person, url, extra) in pages.items():
            client.force_login(person)
            result[name] = count_queries(client, url, **extra)
        return result

    small = measure()
    for _ in range(60):
        make_assignment(team, MON, supporters=[team.support])
    for day in range(2, 20):
        make_assignment(team, MON.replace(day=day))
    jobs.scan_and_create_reminders(at(MON, 0, 20))
    assert Notification.objects.filter(user=team.lead_mail).count() > 50  # more than one page
    large = measure()
    assert small == large
    # Session and user with their agency (2); the base page: the simulated-data banner and the
    # heartbeat (2); the bell (1); the list's count and page (2) or the bulletin's 7. The office's
    # dashboard fetches its bulletin afterwards (htmx), so the bulletin costs it nothing.
    assert small["notifications"] == 2 + 2 + 1 + 2
    assert small["bulletin"] == 2 + 2 + 1 + 7
    assert small["bulletin-htmx"] == 2 + 7
    assert small["dashboard-office"] <= 12
    client.force_login(team.lead_mail)
    with django_assert_num_queries(7):
        client.get(reverse("notifications"), {"page": "2"})
