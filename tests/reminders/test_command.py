"""`manage.py remind --dry-run`: what today's run would create and send, with nothing written."""

import io
import re

import pytest
import time_machine
from django.core.management import CommandError, call_command

from reminders.models import DigestLine, DigestOutbox, Notification, Reminder, ReminderPolicy, ScanState

from .conftest import MON, at, make_assignment

pytestmark = pytest.mark.django_db
TABLES = (Reminder, Notification, DigestOutbox, DigestLine, ScanState, ReminderPolicy)


def remind(*args) -> str:
    out = io.StringIO()
    call_command("remind", *args, stdout=out)
    return out.getvalue()


def counts():
    return [model.objects.count() for model in TABLES]


@pytest.fixture
def monday(team):
    make_assignment(team, MON, supporters=[team.support], text="Báo cáo tình hình giải ngân vốn đầu tư công")
    with time_machine.travel(at(MON, 9), tick=False):
        yield


def test_the_dry_run_shows_what_would_be_sent_and_writes_nothing(team, monday):
    before = counts()
    output = remind("--dry-run", "--limit", "0")
    assert counts() == before
    assert "CHẠY THỬ: không ghi, không gửi gì. Ngày 23/11/2026 (thứ Hai)." in output
    assert "[Sở TN] Đến hạn ngày 23/11/2026 — " in output
    assert "Báo cáo tình hình giải ngân vốn đầu tư công" in output
    assert "Sở TN: 1 dòng mới → truong@sotn.camau.test (bỏ qua người chưa có thư điện tử: tn_canbo)" in output
    assert "Sở PH: 1 dòng mới → canbo@soph.camau.test" in output
    assert "từ 07:00 ngày 23/11/2026" in output
    # What it announces is what the real run then does.
    announced = int(re.search(r"Sẽ tạo (\d+) nhắc việc", output)[1])
    real = remind()
    assert f"Đã tạo {announced} nhắc việc" in real
    assert Reminder.objects.count() == announced
    # Afterwards the dry run has nothing more to announce for today.
    assert "Sẽ tạo 0 nhắc việc." in remind("--dry-run")


def test_the_dry_run_limits_its_detail(team, monday):
    output = remind("--dry-run", "--limit", "3")
    announced = int(re.search(r"Sẽ tạo (\d+) nhắc việc", output)[1])
    assert output.count("\n  [") == 3
    assert f"… và {announced - 3} nhắc việc khác (dùng --limit 0 để in hết)." in output


def test_the_dry_run_for_another_day(team, monday):
    output = remind("--dry-run", "--date", "24/11/2026")
    assert "Ngày 24/11/2026 (thứ Ba)." in output
    assert "Đây là ngày nghỉ (Ngày Văn hóa Việt Nam): không nhắc việc" in output
    assert "Ngày làm việc kế tiếp: 25/11/2026 (thứ Tư)." in output
    output = remind("--dry-run", "--date", "25/11/2026")
    assert "[Sở TN] Quá hạn 2 ngày (hạn 23/11/2026)" in output
    assert not Reminder.objects.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--dry-run", "--date", "31/02/2026"], "Ngày “31/02/2026” không hợp lệ: nhập theo dạng dd/mm/yyyy"),
        (["--date", "23/11/2026"], "--date chỉ dùng cùng --dry-run"),
        (["--dry-run", "--limit", "-1"], "--limit phải là số không âm."),
    ],
)
def test_bad_arguments_get_a_clear_message_and_change_nothing(team, monday, args, message):
    before = counts()
    with pytest.raises(CommandError, match=re.escape(message)):
        remind(*args)
    assert counts() == before
