"""From a file to lines of text: plain text, DOCX, PDF with a text layer, a scanned PDF through OCR.

A scanned PDF (no text layer) is read with ocrmypdf and Tesseract's Vietnamese model when they are installed
(Debian: `apt-get install tesseract-ocr tesseract-ocr-vie ocrmypdf`); otherwise the clerk gets a clear message.
Anything unreadable raises `IntakeError` with a Vietnamese message and reads nothing.
"""

import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from .messages import gettext as _

TEXT_SUFFIXES = {".txt", ".md", ".text"}
MAX_BYTES = 20 * 1024 * 1024
# A page of a signed PDF carries hundreds of characters; fewer than this per page means a scan.
MIN_CHARS_PER_PAGE = 40
OCR_TIMEOUT = 600


class IntakeError(Exception):
    """A document the parser cannot read; the message is for the clerk."""


def read_document(data: bytes, name: str, ocr: bool = True) -> str:
    """The text of a document given as bytes and its file name."""
    if len(data) > MAX_BYTES:
        raise IntakeError(_("Tệp quá lớn: tối đa 20 MB."))
    suffix = Path(name).suffix.lower()
    if suffix in TEXT_SUFFIXES or not suffix:
        return decode_text(data)
    if suffix == ".docx":
        return read_docx(data)
    if suffix == ".pdf":
        return read_pdf(data, ocr=ocr)
    if suffix == ".doc":
        raise IntakeError(_("Tệp .doc (Word 97-2003) chưa đọc được: hãy lưu lại thành .docx hoặc PDF."))
    raise IntakeError(_("Chỉ đọc được văn bản dạng .txt, .docx hoặc .pdf."))


def decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    try:
        return data.decode("cp1258")
    except UnicodeDecodeError as error:
        raise IntakeError(_("Không đọc được tệp văn bản: hãy lưu với bảng mã UTF-8.")) from error


def read_docx(data: bytes) -> str:
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as error:  # pragma: no cover - python-docx is in requirements.txt
        raise IntakeError(_("Máy chủ thiếu thư viện đọc DOCX (python-docx).")) from error
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise IntakeError(_("Tệp DOCX bị hỏng hoặc không phải tệp Word.")) from error
    from .docx_numbering import Numbering

    numbering = Numbering(document)
    lines: list[str] = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            for row in block.rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    lines.extend(numbering.label(p) + p.text for p in cell.paragraphs)
                lines.append("")
        else:
            lines.append(numbering.label(block) + block.text)
    return "\n".join(lines)


def read_pdf(data: bytes, ocr: bool = True) -> str:
    text, pages = pdf_text(data)
    if len(text.strip()) >= MIN_CHARS_PER_PAGE * max(pages, 1):
        return text
    if not ocr:
        raise IntakeError(_("Tệp PDF không có lớp chữ (bản quét)."))
    if not ocr_available():
        raise IntakeError(
            _(
                "Tệp PDF không có lớp chữ (bản quét) và máy chủ chưa cài nhận dạng chữ tiếng Việt "
                "(Tesseract với gói tesseract-ocr-vie và ocrmypdf): không đọc được nội dung."
            )
        )
    return pdf_text(ocr_pdf(data))[0]


def pdf_text(data: bytes) -> tuple[str, int]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise IntakeError(_("Tệp PDF có mật khẩu: hãy gửi bản không khóa."))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as error:
        raise IntakeError(_("Tệp PDF bị hỏng, không đọc được.")) from error
    return "\n".join(pages), len(pages)


def ocr_available() -> bool:
    if not shutil.which("ocrmypdf") or not shutil.which("tesseract"):
        return False
    try:
        found = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "vie" in found.stdout.split()


def ocr_pdf(data: bytes) -> bytes:
    """The same PDF with a text layer recognised in Vietnamese (ocrmypdf, Tesseract 'vie')."""
    with tempfile.TemporaryDirectory(prefix="intake-ocr-") as folder:
        source, target = Path(folder, "in.pdf"), Path(folder, "out.pdf")
        source.write_bytes(data)
        command = [
            "ocrmypdf",
            "-l",
            "vie",
            "--force-ocr",
            "--output-type",
            "pdf",
            "--quiet",
            str(source),
            str(target),
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=OCR_TIMEOUT)
        except (OSError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            raise IntakeError(_("Nhận dạng chữ (OCR) tệp PDF không thành công.")) from error
        return target.read_bytes()
