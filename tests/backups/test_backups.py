"""Backup and restore, for real: pg_dump/pg_restore (or SQLite's backup API) on the test database.

The round trip backs up the programme and some uploaded files, loses them all (flush, files deleted,
a stray file added), restores, and compares every table's row count and every file's SHA-256 with
what was there before, counted here independently of the code under test. A damaged or refused
restore must change nothing: each such test first makes a change the restore would undo.

Transactional: pg_dump and pg_restore run in other processes and only see committed data.
"""

import hashlib
import io
import json
import re
import shutil
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from backups import archive
from directives.models import Directive

from .. import factories
from ..project.test_compose import dockerfile_instructions, load_compose, volume_targets

db = pytest.mark.django_db(transaction=True)

FILES = {
    # Vietnamese names, nested folders, binary content, an empty file.
    "reports/2026/11/Báo cáo tiến độ quý IV.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 64,
    "directives/2023/01-CTr-UBND.pdf": b"%PDF-1.4\nchuong trinh hanh dong\n" * 100,
    "targets/2026/11/ảnh minh chứng.jpg": b"",
}
PROGRAMME = "01/CTr-UBND"


def row_counts() -> dict[str, int]:
    """Rows of every table of every installed model, through the ORM (not the code under test)."""
    return {
        model._meta.db_table: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def checksums(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def backup_folders(parent: Path) -> list[Path]:
    return sorted(parent.iterdir()) if parent.exists() else []


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    """A MEDIA_ROOT with uploaded files, and an empty BACKUP_DIR, both under tmp_path."""
    root = tmp_path / "media"
    for name, content in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
    settings.MEDIA_ROOT = root
    settings.BACKUP_DIR = tmp_path / "backups"
    return root


@pytest.fixture
def backup(media, settings):
    """A backup of the current database and files; returns its folder."""
    run("backup")
    (folder,) = backup_folders(settings.BACKUP_DIR)
    return folder


@pytest.fixture
def later_change(backup, media):
    """A row and a file added after the backup: a restore would remove both."""
    factories.directive(reference="SAU-SAO-LUU")
    (media / "reports" / "sau sao lưu.txt").write_text("thêm sau khi sao lưu", encoding="utf-8")


def assert_later_change_kept(media):
    assert Directive.objects.filter(reference="SAU-SAO-LUU").exists()
    assert (media / "reports" / "sau sao lưu.txt").is_file()


# --- The round trip -------------------------------------------------------------------------------


@db
def test_backup_then_restore_brings_back_every_row_and_file(people, media, settings):
    Directive.objects.filter(reference=PROGRAMME).update(file="directives/2023/01-CTr-UBND.pdf")
    rows_before, files_before = row_counts(), checksums(media)
    assert rows_before["directives_task"] > 100 and rows_before["accounts_user"] >= len(people)
    last_directive = Directive.objects.order_by("-pk").first().pk

    output = run("backup")

    (folder,) = backup_folders(settings.BACKUP_DIR)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d_\d{4}", folder.name)
    assert f"Đã sao lưu vào {folder}" in output
    database_file = "database.dump" if connection.vendor == "postgresql" else "database.sqlite3"
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [database_file, "manifest.json", "media.tar"]
    )
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["engine"] == connection.vendor
    assert manifest["database"]["tables"] == rows_before
    assert {name: entry["sha256"] for name, entry in manifest["media"]["files"].items()} == files_before

    # Everything is lost: every table emptied, the files deleted, a stray file appears.
    call_command("flush", interactive=False)
    shutil.rmtree(media)
    (media / "reports").mkdir(parents=True)
    (media / "reports" / "lạc.txt").write_text("không có trong bản sao lưu", encoding="utf-8")
    assert row_counts()["directives_task"] == 0
    assert row_counts() != rows_before and checksums(media) != files_before

    output = run("restore", str(folder), "--yes")

    assert "khớp với bản sao lưu" in output
    assert row_counts() == rows_before
    assert checksums(media) == files_before
    restored = Directive.objects.get(reference=PROGRAMME)
    with restored.file.open("rb") as handle:
        assert handle.read() == FILES["directives/2023/01-CTr-UBND.pdf"]
    # The database is usable afterwards: new rows get fresh ids (PostgreSQL's sequences came back).
    assert factories.directive().pk > last_directive


@db
def test_two_backups_in_the_same_minute_get_two_folders(media, settings, frozen):
    run("backup")
    run("backup")
    assert [path.name for path in backup_folders(settings.BACKUP_DIR)] == [
        "2026-11-22_0900",
        "2026-11-22_0900-2",
    ]


@db
def test_backup_to_another_folder(media, settings, tmp_path):
    run("backup", "--dest", str(tmp_path / "usb"))
    assert backup_folders(settings.BACKUP_DIR) == []
    (folder,) = backup_folders(tmp_path / "usb")
    assert (folder / "manifest.json").is_file()


@db
def test_a_backup_that_fails_leaves_no_folder(media, settings, monkeypatch):
    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    # The disk fills up while the files are archived, after the database was copied.
    monkeypatch.setattr(tarfile.TarFile, "addfile", disk_full)

    with pytest.raises(CommandError, match="Sao lưu không thành công.*No space left on device"):
        run("backup")

    # Not even the hidden temporary folder is left: nothing can be taken for a backup.
    assert list(settings.BACKUP_DIR.iterdir()) == []


@db
def test_no_backup_inside_the_uploaded_files(media):
    """They would be backed up again each time, and a restore (which replaces MEDIA_ROOT) deletes them."""
    with pytest.raises(CommandError, match="nằm trong MEDIA_ROOT"):
        run("backup", "--dest", str(media / "backups"))
    assert not (media / "backups").exists()


# --- Refusals that change nothing -----------------------------------------------------------------


@db
def test_restore_without_yes_changes_nothing(backup, later_change, media):
    rows, files = row_counts(), checksums(media)

    with pytest.raises(CommandError) as refused:
        run("restore", str(backup))

    message = str(refused.value)
    assert "THAY THẾ toàn bộ dữ liệu hiện tại" in message and "--yes" in message
    assert "Chưa có gì bị thay đổi" in message
    assert row_counts() == rows and checksums(media) == files
    assert_later_change_kept(media)


def damage_database(folder):
    path = next(folder.glob("database.*"))
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def truncate_media(folder):
    path = folder / "media.tar"
    path.write_bytes(path.read_bytes()[:1000])


def other_engine(folder):
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["engine"] = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    path.write_text(json.dumps(manifest), encoding="utf-8")


DAMAGES = {
    "missing folder": (lambda folder: shutil.rmtree(folder), "Không tìm thấy thư mục sao lưu"),
    "unfinished (no manifest)": (
        lambda folder: (folder / "manifest.json").unlink(),
        "không có manifest.json: đây không phải một bản sao lưu hoàn chỉnh",
    ),
    "unreadable manifest": (
        lambda folder: (folder / "manifest.json").write_text("{", encoding="utf-8"),
        "manifest.json .* bị hỏng hoặc không đúng định dạng",
    ),
    "database file changed": (damage_database, r"database\.\w+ của bản sao lưu bị hỏng"),
    "database file missing": (
        lambda folder: next(folder.glob("database.*")).unlink(),
        r"Bản sao lưu thiếu tệp database\.",
    ),
    "files archive truncated": (truncate_media, "media.tar của bản sao lưu bị hỏng"),
    "another database engine": (other_engine, "không khôi phục được vào cơ sở dữ liệu"),
}


@db
def test_a_backup_inside_the_uploaded_files_is_not_restored(backup, later_change, media):
    inside = media / "copied-backup"
    shutil.copytree(backup, inside)
    rows, files = row_counts(), checksums(media)

    with pytest.raises(CommandError, match="nằm trong MEDIA_ROOT.*Dữ liệu hiện tại không bị thay đổi"):
        run("restore", str(inside), "--yes")

    assert row_counts() == rows and checksums(media) == files
    assert_later_change_kept(media)


@db
@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_backup_is_refused_and_changes_nothing(backup, later_change, media, damage):
    spoil, expected = DAMAGES[damage]
    spoil(backup)
    rows, files = row_counts(), checksums(media)

    with pytest.raises(CommandError) as refused:
        run("restore", str(backup), "--yes")

    assert re.search(expected, str(refused.value)), refused.value
    assert str(refused.value).endswith("Dữ liệu hiện tại không bị thay đổi.")
    assert row_counts() == rows and checksums(media) == files
    assert_later_change_kept(media)
    assert not list(media.glob(f"{archive.STAGING_PREFIX}*"))


@db
def test_restore_reports_what_does_not_match_the_manifest(backup, later_change, media):
    """The check after restoring can fail: a manifest that says one row more is a mismatch."""
    path = backup / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["database"]["tables"]["directives_directive"] += 1
    path.write_text(json.dumps(manifest), encoding="utf-8")
    expected = manifest["database"]["tables"]["directives_directive"]

    err = io.StringIO()
    with pytest.raises(CommandError, match="có 1 chỗ không khớp với bản sao lưu"):
        call_command("restore", str(backup), "--yes", stdout=io.StringIO(), stderr=err)

    assert f"Bảng directives_directive: {expected - 1} dòng, bản sao lưu có {expected}." in err.getvalue()
    # The restore itself happened: the change made after the backup is gone.
    assert not Directive.objects.filter(reference="SAU-SAO-LUU").exists()
    assert checksums(media) == {name: hashlib.sha256(data).hexdigest() for name, data in FILES.items()}


# --- The production image -------------------------------------------------------------------------


def test_the_image_has_pg_dump_and_keeps_backups_on_a_volume():
    runs = [arguments for instruction, arguments in dockerfile_instructions() if instruction == "RUN"]
    assert any(re.search(r"apt-get install\b.*\bpostgresql-client\b", arguments) for arguments in runs)
    assert any("/app/var/backups" in arguments and "chown" in arguments for arguments in runs)
    compose = load_compose()
    assert "/app/var/backups" in volume_targets(compose["services"]["web"])
