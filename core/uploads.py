"""The files agencies attach: what is accepted, and how they are stored.

Accepted: PDF, DOCX, XLSX and images (PNG, JPEG, GIF, WebP), at most 20 MB. The first bytes must be
those of the claimed kind; a DOCX or XLSX must be a ZIP holding the parts Word or Excel write.

Stored: under a random name (`reports/2026/11/<32 hex>.pdf`, `UnguessableName`), so that knowing a
document's title gets nobody its path, and file names of any length or alphabet fit the disk and the
column; the name the user gave is kept in the row's `original_name` (`EvidenceFileMixin`) and sent
back on download. `EvidenceFileField.url` is the download view (core/files.py), which checks who
asks: nothing is served from MEDIA_URL.
"""

import os
import re
import unicodedata
import uuid
import zipfile

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
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


# The column of `original_name`; PostgreSQL counts characters, not bytes.
ORIGINAL_NAME_MAX = 255
_EXTENSION = re.compile(r"[a-z0-9]{1,10}")


def extension_of(name: str) -> str:
    """The lower-case extension with its dot (".pdf"), or "" when there is none worth keeping."""
    _stem, dot, extension = os.path.basename(name).rpartition(".")
    extension = extension.lower()
    return f".{extension}" if dot and _EXTENSION.fullmatch(extension) else ""


def clean_original_name(name: str) -> str:
    """The name the user gave, fit to show and to send back in a header.

    No folder, NFC (macOS sends decomposed Vietnamese), no control or format characters (NUL,
    newlines, right-to-left overrides), at most ORIGINAL_NAME_MAX characters: an over-long name is
    shortened in its stem, so "…rất dài.pdf" keeps ".pdf".
    """
    name = os.path.basename(str(name).replace("\\", "/"))
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > ORIGINAL_NAME_MAX:
        extension = extension_of(name)
        stem = name[: len(name) - len(extension)] if extension else name
        name = stem[: ORIGINAL_NAME_MAX - len(extension)].rstrip() + extension
    return name


@deconstructible
class UnguessableName:
    """`upload_to` giving `<folder, strftime>/<uuid4 hex><extension>`."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        return timezone.localtime().strftime(self.folder) + uuid.uuid4().hex + extension_of(filename)

    def __eq__(self, other):
        return isinstance(other, UnguessableName) and other.folder == self.folder


class EvidenceFieldFile(FieldFile):
    @property
    def url(self) -> str:
        # Every link to the file (templates, form widgets, the admin) goes through the checked view.
        self._require_file()
        return reverse("file-download", args=[self.field.kind, self.instance.pk])


class EvidenceFileField(models.FileField):
    """A FileField whose `url` is the permission-checked download view; `kind` names it there."""

    attr_class = EvidenceFieldFile

    def __init__(self, *args, kind: str, **kwargs):
        self.kind = kind
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        return name, path, args, kwargs


class EvidenceFileMixin:
    """For a model with `file` (EvidenceFileField) and `original_name`: keeps the name the user gave.

    Done in save() so every way in (services, forms, the admin) records it.
    """

    def save(self, *args, **kwargs):
        if not self.file:
            self.original_name = ""
        elif not self.file._committed:
            # A new upload: its name is still the user's, until the storage saves it under a random one.
            self.original_name = clean_original_name(self.file.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "file" in update_fields:
            kwargs["update_fields"] = {*update_fields, "original_name"}
        super().save(*args, **kwargs)

    @property
    def download_name(self) -> str:
        """The name a download is offered under: the user's, or the stored one for rows without it."""
        return self.original_name or os.path.basename(self.file.name)


def backfill_original_names(*model_labels: str):
    """RunPython code for the migrations that added `original_name`: rows from before keep their
    stored name (their files are not moved) and get its basename as the name to download under."""

    def forwards(apps, schema_editor):
        for label in model_labels:
            model = apps.get_model(label)
            for pk, stored in (
                model.objects.exclude(file="").filter(original_name="").values_list("pk", "file")
            ):
                model.objects.filter(pk=pk).update(original_name=clean_original_name(stored))

    return forwards
