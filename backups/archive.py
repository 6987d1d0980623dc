"""Backups: a dated folder with a consistent copy of the database, the uploaded files and a manifest.

A backup folder (BACKUP_DIR/2026-12-03_0905/) holds:
- `database.dump` (PostgreSQL, `pg_dump -Fc`) or `database.sqlite3` (SQLite, the online backup API);
- `media.tar`, every regular file under MEDIA_ROOT;
- `manifest.json`: when, which engine, the SHA-256 of the two files above, the row count of every
  table as the copy holds it, and the SHA-256 and size of every uploaded file.

The folder is written under a hidden temporary name and renamed once complete, so a folder with a
dated name is a whole backup. A restore checks everything it can before it touches anything, and
after restoring compares the row counts and the files with the manifest.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
ENGINE_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
# A restore unpacks the files into a hidden folder inside MEDIA_ROOT: the same filesystem (MEDIA_ROOT
# is a volume in compose), so putting them in place is a rename. Backups skip such leftovers.
STAGING_PREFIX = ".restore-"
CHUNK = 1024 * 1024
# libpq reads these from the environment; Django passes them as OPTIONS.
PG_OPTION_VARIABLES = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


class BackupError(Exception):
    """A backup or restore that cannot go on. The message is Vietnamese, for the person running it."""


class PartialRestore(BackupError):
    """The database was restored but the files could not be put in place: not "nothing changed"."""


# --- Backup ---------------------------------------------------------------------------------------


def create_backup(parent: Path | None = None) -> tuple[Path, dict]:
    """Write a backup folder under `parent` (BACKUP_DIR by default); return its path and manifest.

    1. Everything goes into a hidden temporary folder (mode 700: it holds password hashes) next to
       the final one.
    2. The database is copied first, and the row counts are read from the very state copied.
    3. Then the uploaded files, hashed from the bytes archived. After the database, so that every
       file a row of the copy names was already there.
    4. The manifest last; the folder is then renamed to its dated name.
    """
    vendor = database_vendor()
    parent = Path(parent or settings.BACKUP_DIR)
    if _inside(parent, settings.MEDIA_ROOT):
        raise BackupError(
            f"Thư mục sao lưu {parent} nằm trong MEDIA_ROOT ({settings.MEDIA_ROOT}): bản sao lưu sẽ chứa "
            "các bản sao lưu trước và bị xóa khi khôi phục. Hãy chọn một thư mục khác."
        )
    created = timezone.localtime()
    stamp = f"{created:%Y-%m-%d_%H%M}"
    try:
        parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{stamp}.", suffix=".partial", dir=parent))
    except OSError as error:
        raise BackupError(f"Không tạo được thư mục trong {parent}: {error}.") from error
    try:
        database_file = work / DATABASE_FILES[vendor]
        dump = _dump_postgresql if vendor == "postgresql" else _dump_sqlite
        tables = dump(database_file)
        files = _archive_media(Path(settings.MEDIA_ROOT), work / MEDIA_ARCHIVE)
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": created.isoformat(),
            "engine": vendor,
            "database": {"file": database_file.name, "sha256": sha256_of(database_file), "tables": tables},
            "media": {"file": MEDIA_ARCHIVE, "sha256": sha256_of(work / MEDIA_ARCHIVE), "files": files},
        }
        manifest_path = work / MANIFEST
        manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        for path in (database_file, work / MEDIA_ARCHIVE, manifest_path, work):
            _fsync(path)
        final = _free_name(parent, stamp)
        os.rename(work, final)
        _fsync(parent)
    except (OSError, UnicodeError, tarfile.TarError, sqlite3.Error) as error:
        shutil.rmtree(work, ignore_errors=True)
        raise BackupError(f"Lỗi khi đọc, ghi: {error}.") from error
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final, manifest


def _free_name(parent: Path, stamp: str) -> Path:
    """The dated name, with -2, -3… when a backup was already made in the same minute."""
    candidate, number = parent / stamp, 1
    while candidate.exists():
        number += 1
        candidate = parent / f"{stamp}-{number}"
    return candidate


def _dump_postgresql(target: Path) -> dict[str, int]:
    """`pg_dump -Fc` of a snapshot exported by a read-only transaction that also counts the rows.

    pg_dump and the counts see the same snapshot, so the manifest describes exactly what the dump
    holds, however busy the app is meanwhile.
    """
    pg_dump = _binary("pg_dump")
    env, args = _pg_connection(connection.settings_dict)
    # A connection of our own: the app's may be inside a transaction, and this one must begin one.
    conn = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with conn.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = count_rows(conn)
            _run([pg_dump, "--format=custom", f"--file={target}", f"--snapshot={snapshot}", *args], env)
            cursor.execute("COMMIT")
    finally:
        conn.close()
    return tables


def _dump_sqlite(target: Path) -> dict[str, int]:
    """A copy made with SQLite's online backup API, in one step (one read lock: one state)."""
    source = sqlite3.connect(_sqlite_file(), timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    # Counted in the copy itself, through a Django connection to it (so the same table list).
    wrapper = type(connections[DEFAULT_DB_ALIAS])
    conn = wrapper({**connection.settings_dict, "NAME": str(target)}, alias="backup-copy")
    try:
        return count_rows(conn)
    finally:
        conn.close()


def _archive_media(root: Path, target: Path) -> dict[str, dict]:
    """Archive MEDIA_ROOT's regular files into `target`; {relative path: {sha256, size}}."""
    files = {}
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as tar:
        for path, relative in media_files(root):
            info = tar.gettarinfo(str(path), arcname=relative)
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                # Hashed as read into the archive: the checksum is that of the bytes kept.
                tar.addfile(info, _HashingReader(handle, digest))
            files[relative] = {"sha256": digest.hexdigest(), "size": info.size}
    return files


class _HashingReader:
    def __init__(self, handle, digest):
        self.handle, self.digest = handle, digest

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


# --- Restore --------------------------------------------------------------------------------------


def read_backup(folder: Path) -> dict:
    """The manifest of an intact backup folder made on this database engine. Reads, changes nothing.

    Refused (BackupError): a missing folder, a missing or unreadable manifest (a backup never
    finished), another engine, a missing file, a file whose SHA-256 differs, an archive whose files
    are not the manifest's.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise BackupError(f"Không tìm thấy thư mục sao lưu “{folder}”.")
    if _inside(folder, settings.MEDIA_ROOT):
        raise BackupError(
            f"Thư mục sao lưu “{folder}” nằm trong MEDIA_ROOT ({settings.MEDIA_ROOT}), mà khôi phục sẽ "
            "thay thế toàn bộ MEDIA_ROOT. Hãy chuyển bản sao lưu ra ngoài rồi khôi phục."
        )
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(
            f"Thư mục “{folder}” không có {MANIFEST}: đây không phải một bản sao lưu hoàn chỉnh "
            "(có thể việc sao lưu đã bị dừng giữa chừng)."
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        _check_manifest(manifest)
    except (ValueError, TypeError, KeyError, AttributeError):
        raise BackupError(f"Tệp {MANIFEST} trong “{folder}” bị hỏng hoặc không đúng định dạng.") from None
    vendor = database_vendor()
    if manifest["engine"] != vendor:
        raise BackupError(
            f"Bản sao lưu này là của {ENGINE_NAMES.get(manifest['engine'], manifest['engine'])}, "
            f"không khôi phục được vào cơ sở dữ liệu {ENGINE_NAMES[vendor]} đang dùng."
        )
    for part in (manifest["database"], manifest["media"]):
        path = folder / part["file"]
        if not path.is_file():
            raise BackupError(f"Bản sao lưu thiếu tệp {part['file']}.")
        if sha256_of(path) != part["sha256"]:
            raise BackupError(
                f"Tệp {part['file']} của bản sao lưu bị hỏng: mã kiểm tra SHA-256 không khớp với {MANIFEST}."
            )
    _check_archive(folder / manifest["media"]["file"], manifest["media"]["files"])
    return manifest


def _check_manifest(manifest: dict) -> None:
    """Raise ValueError/TypeError/KeyError unless the manifest has the shape this version writes."""
    if manifest["format"] != FORMAT_VERSION:
        raise ValueError(manifest["format"])
    if not isinstance(manifest["engine"], str):
        raise TypeError
    datetime.datetime.fromisoformat(manifest["created_at"])
    for part in (manifest["database"], manifest["media"]):
        # A plain file name: the manifest must not point outside its folder.
        if not isinstance(part["file"], str) or Path(part["file"]).name != part["file"]:
            raise ValueError(part["file"])
        if not isinstance(part["sha256"], str):
            raise TypeError
    tables = manifest["database"]["tables"]
    if not all(isinstance(k, str) and isinstance(v, int) for k, v in tables.items()):
        raise TypeError
    for entry in manifest["media"]["files"].values():
        if not isinstance(entry["sha256"], str) or not isinstance(entry["size"], int):
            raise TypeError


def _check_archive(path: Path, files: dict) -> None:
    try:
        with tarfile.open(path) as tar:
            members = tar.getmembers()
    except (tarfile.TarError, OSError):
        raise BackupError(f"Không đọc được tệp {path.name} của bản sao lưu.") from None
    names = set()
    for member in members:
        parts = PurePosixPath(member.name).parts
        if not member.isfile() or member.name.startswith("/") or ".." in parts:
            raise BackupError(f"Tệp {path.name} chứa mục không hợp lệ: “{member.name}”.")
        names.add(member.name)
    if names != set(files):
        raise BackupError(f"Các tệp trong {path.name} không khớp với danh sách trong {MANIFEST}.")


def restore_backup(folder: Path, manifest: dict) -> list[str]:
    """Replace the database and MEDIA_ROOT's content with the backup; return what does not match it.

    `manifest` comes from read_backup(folder), which checked the folder.
    1. Unpack the files into a hidden folder inside MEDIA_ROOT and check them: the current files
       are untouched so far.
    2. Restore the database in one transaction (PostgreSQL) or one backup step (SQLite): on any
       error it is left as it was, and the unpacked files are removed.
    3. Put the files in place of MEDIA_ROOT's content (renames, on the same filesystem).
    4. Count the rows and hash the files again, and list every difference from the manifest.
    """
    folder = Path(folder)
    media_root = Path(settings.MEDIA_ROOT)
    try:
        media_root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=media_root))
    except OSError as error:
        raise BackupError(f"không tạo được thư mục tạm trong {media_root}: {error}.") from error
    try:
        with tarfile.open(folder / manifest["media"]["file"]) as tar:
            tar.extractall(staging, filter="data")
        if problems := _compare_files(staging, manifest["media"]["files"]):
            raise BackupError("Các tệp giải nén từ bản sao lưu không khớp: " + " ".join(problems))
        _restore_database(folder / manifest["database"]["file"])
    except (OSError, tarfile.TarError, sqlite3.Error) as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupError(f"lỗi khi đọc, ghi: {error}.") from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        for entry in media_root.iterdir():
            if entry != staging:
                _remove(entry)
        for entry in staging.iterdir():
            entry.rename(media_root / entry.name)
        staging.rmdir()
    except OSError as error:
        raise PartialRestore(
            f"Cơ sở dữ liệu đã được khôi phục, nhưng lỗi khi đặt lại các tệp ({error}); các tệp của "
            f"bản sao lưu nằm trong {staging}. Sửa lỗi rồi chạy lại lệnh khôi phục."
        ) from error
    return verify(manifest)


def _restore_database(path: Path) -> None:
    # Connections the app holds would keep locks (PostgreSQL) or a stale view (SQLite).
    connections.close_all()
    if database_vendor() == "postgresql":
        pg_restore = _binary("pg_restore")
        env, args = _pg_connection(connection.settings_dict)
        # --single-transaction: every statement or none (it implies --exit-on-error).
        command = [pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction", *args]
        _run([*command, str(path)], env)
        return
    copy = sqlite3.connect(path)
    live = sqlite3.connect(_sqlite_file(), timeout=30)
    try:
        copy.backup(live)
    finally:
        live.close()
        copy.close()


def verify(manifest: dict) -> list[str]:
    """Differences between the current database and files and the manifest, in Vietnamese."""
    problems = []
    counts = count_rows(connection)
    for table, expected in manifest["database"]["tables"].items():
        found = counts.get(table)
        if found is None:
            problems.append(f"Bảng {table} không có trong cơ sở dữ liệu.")
        elif found != expected:
            problems.append(f"Bảng {table}: {found} dòng, bản sao lưu có {expected}.")
    problems += _compare_files(Path(settings.MEDIA_ROOT), manifest["media"]["files"])
    return problems


def _compare_files(root: Path, expected: dict) -> list[str]:
    found = {relative: sha256_of(path) for path, relative in media_files(root)}
    problems = [f"Thiếu tệp {name}." for name in sorted(set(expected) - set(found))]
    problems += [f"Tệp thừa {name}." for name in sorted(set(found) - set(expected))]
    problems += [
        f"Tệp {name} khác bản sao lưu (SHA-256)."
        for name in sorted(set(found) & set(expected))
        if found[name] != expected[name]["sha256"]
    ]
    return problems


# --- Shared helpers -------------------------------------------------------------------------------


def database_vendor() -> str:
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu loại {vendor}.")
    return vendor


def count_rows(conn) -> dict[str, int]:
    """{table: rows} for every existing table of the installed apps' models, through `conn`."""
    tables = sorted(conn.introspection.django_table_names(only_existing=True, include_views=False))
    counts = {}
    with conn.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def media_files(root: Path) -> Iterator[tuple[Path, str]]:
    """(path, relative POSIX name) of every regular file under `root`, sorted; links are skipped."""
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not (here == root and d.startswith(STAGING_PREFIX)))
        for name in sorted(filenames):
            path = here / name
            if not path.is_symlink() and path.is_file():
                yield path, path.relative_to(root).as_posix()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _sqlite_file() -> str:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("Cơ sở dữ liệu SQLite trong bộ nhớ không sao lưu được.")
    return name


def _pg_connection(db: dict) -> tuple[dict, list[str]]:
    """Environment and arguments for pg_dump/pg_restore from Django's connection settings."""
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    for option, variable in PG_OPTION_VARIABLES.items():
        if (db.get("OPTIONS") or {}).get(option):
            env[variable] = str(db["OPTIONS"][option])
    # --no-password: never wait for a password typed at a prompt nobody sees.
    args = ["--no-password"]
    if db.get("HOST"):
        args.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        args.append(f"--port={db['PORT']}")
    if db.get("USER"):
        args.append(f"--username={db['USER']}")
    args.append(f"--dbname={db['NAME']}")
    return env, args


def _binary(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"Không tìm thấy chương trình {name}: cần cài gói postgresql-client, cùng phiên bản chính "
            "với máy chủ PostgreSQL (hoặc mới hơn)."
        )
    return path


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()[-2000:]
        raise BackupError(f"{Path(command[0]).name} báo lỗi (mã {result.returncode}): {detail}")


def _fsync(path: Path) -> None:
    """Flush a file or folder to disk, so that a backup said to be written survives a power cut."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _inside(path: Path, root: Path) -> bool:
    return Path(path).resolve().is_relative_to(Path(root).resolve())


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


# --- Messages -------------------------------------------------------------------------------------


def number(value: int) -> str:
    """12345 -> "12.345", the Vietnamese grouping."""
    return f"{value:,}".replace(",", ".")


def size(value: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if value >= scale:
            return f"{value / scale:.1f}".replace(".", ",") + f" {unit}"
    return f"{value} byte"


def created_at(manifest: dict) -> str:
    """The backup's time as dd/mm/yyyy HH:MM in the app's time zone."""
    moment = timezone.localtime(datetime.datetime.fromisoformat(manifest["created_at"]))
    return f"{moment:%d/%m/%Y %H:%M}"


def summary(manifest: dict) -> str:
    """One line: engine, tables, rows, files."""
    tables = manifest["database"]["tables"]
    files = manifest["media"]["files"]
    return (
        f"cơ sở dữ liệu {ENGINE_NAMES.get(manifest['engine'], manifest['engine'])}: "
        f"{number(len(tables))} bảng, {number(sum(tables.values()))} dòng; "
        f"{number(len(files))} tệp đã tải lên, {size(sum(f['size'] for f in files.values()))}"
    )
