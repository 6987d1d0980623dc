"""Checks on the files agencies attach: kind by extension, size, and content that matches the extension.

Accepted: PDF, DOCX, XLSX and images (PNG, JPEG, GIF, WebP), at most 20 MB. The first bytes must be
those of the claimed kind; a DOCX or XLSX must be a ZIP holding the parts Word or Excel write.
"""

import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

# extension -> (leading bytes accepted, part a ZIP-based Office file must contain)
KINDS = {
    "pdf": ((b"%PDF-",), None),
    "docx": ((b"PK\x03\x04",), "word/document.xml"),
    "xlsx": ((b"PK\x03\x04",), "xl/workbook.xml"),
    "png": ((b"\x89PNG\r\n\x1a\n",), None),
    "jpg": ((b"\xff\xd8\xff",), None),
    "jpeg": ((b"\xff\xd8\xff",), None),
    "gif": ((b"GIF87a", b"GIF89a"), None),
    "webp": ((b"RIFF",), None),
}
ACCEPT = ",".join(f".{ext}" for ext in KINDS)


def validate_upload(upload) -> None:
    """Raise a Vietnamese ValidationError unless `upload` is an accepted kind, size and content."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in KINDS:
        raise ValidationError(
            _("Tệp “%(name)s” không được chấp nhận: chỉ nhận PDF, DOCX, XLSX hoặc ảnh (PNG, JPG, GIF, WEBP).")
            % {"name": name},
            code="extension",
        )
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Tệp “%(name)s” có dung lượng %(size)s, vượt quá giới hạn 20 MB.")
            % {"name": name, "size": filesizeformat(upload.size)},
            code="size",
        )
    prefixes, office_part = KINDS[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    matches = any(head.startswith(prefix) for prefix in prefixes)
    if matches and extension == "webp":
        matches = head[8:12] == b"WEBP"
    if matches and office_part:
        try:
            with zipfile.ZipFile(upload) as archive:
                matches = office_part in archive.namelist()
        except zipfile.BadZipFile:
            matches = False
        upload.seek(0)
    if not matches:
        raise ValidationError(
            _("Nội dung tệp “%(name)s” không đúng định dạng %(kind)s như phần mở rộng của tên tệp.")
            % {"name": name, "kind": extension.upper()},
            code="content",
        )
