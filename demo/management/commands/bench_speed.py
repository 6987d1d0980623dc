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

PARTS = ["dashboard", "search", "summaries", "targets", "scan"]


class Command(BaseCommand):
    help = (
        "Đo tốc độ trang tổng quan (mỗi bộ lọc, ngày trong quá khứ), JSON, tìm kiếm, báo cáo tháng, chỉ tiêu "
        "và rà soát nhắc việc trên dữ liệu đã có, so với truy vấn tổng hợp viết tay. Chỉ đọc dữ liệu: những "
        "gì phép đo ghi (báo cáo lập lại, nhắc việc) được hủy sau khi đo, trừ một báo cáo tháng và một tài "
        "khoản tạm để gửi yêu cầu; tạo dữ liệu trước bằng bench_dashboard --tasks N --keep."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5, help="Số lần đo mỗi phép. Mặc định 5.")
        parser.add_argument(
            "--only",
            choices=PARTS,
            action="append",
            help="Chỉ đo phần này (có thể lặp lại). Mặc định: tất cả.",
        )

    def handle(self, *args, repeat=5, only=None, **options):
        if repeat < 1:
            raise CommandError("--repeat phải từ 1 trở lên.")
        out = self.stdout.write
        parts = set(only or PARTS)
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
        if "summaries" in parts:
            benchmarks.run_summaries(out, repeat, today)
        if "targets" in parts:
            benchmarks.run_targets(out, repeat)
        if "scan" in parts:  # last: it reads the whole table and writes (rolled back)
            benchmarks.run_scan(out)
