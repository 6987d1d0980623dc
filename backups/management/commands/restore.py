"""`manage.py restore DIR --yes`: bring back a backup folder written by `manage.py backup`."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backups import archive


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu do lệnh backup tạo: THAY THẾ toàn bộ cơ sở dữ liệu và các tệp đã "
        "tải lên hiện tại, rồi đối chiếu số dòng từng bảng và mã kiểm tra từng tệp với bản sao lưu."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="Thư mục sao lưu, ví dụ var/backups/2026-12-03_0905.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Xác nhận thay thế dữ liệu hiện tại bằng bản sao lưu (bắt buộc).",
        )

    def handle(self, *args, folder, yes=False, **options):
        # The folder is checked first, so that a bad backup is reported even without --yes.
        try:
            manifest = archive.read_backup(folder)
        except archive.BackupError as error:
            raise CommandError(f"Không khôi phục: {error} Dữ liệu hiện tại không bị thay đổi.") from None
        when = archive.created_at(manifest)
        if not yes:
            raise CommandError(
                f"Khôi phục sẽ THAY THẾ toàn bộ dữ liệu hiện tại — cơ sở dữ liệu và các tệp đã tải lên "
                f"trong {settings.MEDIA_ROOT} — bằng bản sao lưu lúc {when} ({archive.summary(manifest)}). "
                "Mọi thay đổi sau thời điểm đó sẽ mất. Hãy dừng web, worker và beat, rồi chạy lại lệnh "
                "với --yes để xác nhận. Chưa có gì bị thay đổi."
            )
        try:
            problems = archive.restore_backup(folder, manifest)
        except archive.PartialRestore as error:
            raise CommandError(f"Khôi phục chưa xong: {error}") from None
        except archive.BackupError as error:
            raise CommandError(
                f"Khôi phục không thành công: {error} Dữ liệu hiện tại không bị thay đổi."
            ) from None
        if problems:
            for problem in problems:
                self.stderr.write(f"  - {problem}")
            raise CommandError(
                f"Đã khôi phục bản sao lưu lúc {when}, nhưng có {len(problems)} chỗ không khớp với "
                "bản sao lưu (xem ở trên)."
            )
        self.stdout.write(
            f"Đã khôi phục bản sao lưu lúc {when}: {archive.summary(manifest)}. "
            "Số dòng từng bảng và mã kiểm tra từng tệp khớp với bản sao lưu."
        )
        self.stdout.write(
            "Nếu mã nguồn mới hơn bản sao lưu, chạy python manage.py migrate trước khi mở lại ứng dụng."
        )
