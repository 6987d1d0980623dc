"""How fast the pages are on the data already loaded, beside the hand-written aggregate (issue 12).

Reads only: generate the data first with `bench_dashboard --tasks N --keep` on a database kept for
measuring. See demo/benchmarks.py.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from core.dates import format_day
from demo import benchmarks
from directives.models import Assignment


class Command(BaseCommand):
    help = (
        "Đo tốc độ trang tổng quan (mỗi bộ lọc, ngày trong quá khứ), JSON và tìm kiếm trên dữ liệu đã có, "
        "so với truy vấn tổng hợp viết tay. Chỉ đọc dữ liệu (và tạo một tài khoản tạm để gửi yêu cầu); "
        "tạo dữ liệu trước bằng bench_dashboard --tasks N --keep."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5, help="Số lần đo mỗi phép. Mặc định 5.")
        parser.add_argument(
            "--only",
            choices=["dashboard", "search"],
            action="append",
            help="Chỉ đo phần này (có thể lặp lại). Mặc định: tất cả.",
        )

    def handle(self, *args, repeat=5, only=None, **options):
        if repeat < 1:
            raise CommandError("--repeat phải từ 1 trở lên.")
        out = self.stdout.write
        parts = set(only or ["dashboard", "search"])
        today = timezone.localdate()
        past = today - datetime.timedelta(days=365)
        out(
            f"Cơ sở dữ liệu: {connection.vendor} ({connection.settings_dict['NAME']}), DEBUG={settings.DEBUG}; "
            f"{Assignment.objects.count()} phân công; ngày tính {format_day(today)}; "
            f"trung vị của {repeat} lần đo sau 1 lần khởi động."
        )
        if "dashboard" in parts:
            benchmarks.run_dashboard(out, repeat, today, past)
        if "search" in parts:
            benchmarks.run_search(out, repeat)
