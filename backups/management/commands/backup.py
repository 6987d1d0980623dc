"""`manage.py backup`: a dated folder with a consistent database copy, the uploaded files, a manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups import archive


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu (PostgreSQL: pg_dump -Fc; SQLite: bản sao trực tuyến) và các tệp đã tải "
        "lên vào một thư mục đặt tên theo ngày giờ, kèm manifest.json (số dòng từng bảng, mã SHA-256 "
        "từng tệp)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dest",
            type=Path,
            help="Thư mục chứa các bản sao lưu. Mặc định: BACKUP_DIR (var/backups/).",
        )

    def handle(self, *args, dest=None, **options):
        try:
            folder, manifest = archive.create_backup(dest)
        except archive.BackupError as error:
            raise CommandError(
                f"Sao lưu không thành công, không có bản sao lưu nào được ghi. {error}"
            ) from None
        self.stdout.write(f"Đã sao lưu vào {folder}: {archive.summary(manifest)}.")
        self.stdout.write(f"Khôi phục: python manage.py restore {folder} --yes")
