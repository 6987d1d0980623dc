"""python manage.py parse_directive FILE [--format json]: what the parser proposes for a directive."""

import io

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from intake.parsing.cli import main
from intake.services import database_agencies


class Command(BaseCommand):
    help = "In đề xuất của bộ đọc văn bản: thông tin văn bản, nhiệm vụ, cơ quan chủ trì, phối hợp, thời hạn."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .txt, .docx hoặc .pdf")
        parser.add_argument("--format", choices=("text", "json"), default="text")
        parser.add_argument(
            "--agencies", help="Tệp JSON danh sách cơ quan (mặc định: cơ quan trong cơ sở dữ liệu)"
        )
        parser.add_argument("--no-ocr", action="store_true", help="Không nhận dạng chữ bản quét")

    def handle(self, *args, **options):
        argv = [options["file"], "--format", options["format"]]
        if options.get("agencies"):
            argv += ["--agencies", options["agencies"]]
        if options.get("no_ocr"):
            argv.append("--no-ocr")
        try:
            agencies = database_agencies()
        except DatabaseError as error:
            raise CommandError(
                "Chưa đọc được danh mục cơ quan trong cơ sở dữ liệu (đã chạy migrate chưa?)."
            ) from error
        out = io.StringIO()
        code = main(argv, out, agencies=agencies or None)
        if code:
            raise CommandError(out.getvalue().strip())
        self.stdout.write(out.getvalue(), ending="")
