"""Plain functions the Celery tasks call (intake/tasks.py), so tests call them with a frozen clock.

`read_queued_scans`: beat runs it every INTAKE_OCR_SECONDS. It claims one queued scan at a time with a
conditional UPDATE (a claim older than OCR_CLAIM_SECONDS is taken over: its worker died), recognises
the text page by page with ocrmypdf and Tesseract's Vietnamese model, recording the progress on the
row for the page to show, then parses it into the draft. Nothing is enqueued from the web: the upload
only leaves the row queued, so the pages keep working while the broker is down.
"""

import datetime
import io
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Draft
from .parsing import IntakeError
from .parsing.readers import ocr_pdf, pdf_text
from .services import fill_draft

logger = logging.getLogger("camau.intake")

# Longer than ocrmypdf's own time limit (intake.parsing.readers.OCR_TIMEOUT), per page.
OCR_CLAIM_SECONDS = 900


def _claim(now: datetime.datetime) -> Draft | None:
    stale = now - datetime.timedelta(seconds=OCR_CLAIM_SECONDS)
    waiting = Draft.objects.filter(
        Q(state=Draft.State.QUEUED) | Q(state=Draft.State.READING, claimed_at__lt=stale)
    ).order_by("id")
    for pk in waiting.values_list("pk", flat=True)[:5]:
        claimed = (
            Draft.objects.filter(pk=pk)
            .filter(Q(state=Draft.State.QUEUED) | Q(state=Draft.State.READING, claimed_at__lt=stale))
            .update(state=Draft.State.READING, claimed_at=now, progress=1)
        )
        if claimed == 1:
            return Draft.objects.get(pk=pk)
    return None


def _progress(draft: Draft, done: int, total: int) -> None:
    # Reading takes 90% of the time; parsing the rest.
    percent = max(1, min(90, round(90 * done / max(total, 1))))
    Draft.objects.filter(pk=draft.pk).update(progress=percent, claimed_at=timezone.now())


def recognise(draft: Draft) -> str:
    """The scan's text, one page at a time so that the progress moves."""
    from pypdf import PdfReader, PdfWriter

    with draft.file.open("rb") as handle:
        reader = PdfReader(handle)
        pages = []
        total = len(reader.pages)
        for number, page in enumerate(reader.pages, start=1):
            writer = PdfWriter()
            writer.add_page(page)
            buffer = io.BytesIO()
            writer.write(buffer)
            pages.append(pdf_text(ocr_pdf(buffer.getvalue()))[0])
            _progress(draft, number, total)
    return "\n".join(pages)


def read_queued_scans(now: datetime.datetime, limit: int = 3) -> int:
    """Recognise up to `limit` queued scans; returns how many were read (or failed with a message)."""
    done = 0
    while done < limit:
        draft = _claim(now)
        if draft is None:
            break
        done += 1
        try:
            text = recognise(draft)
            if not text.strip():
                raise IntakeError(_("Nhận dạng chữ không tìm thấy nội dung nào trong tệp."))
            with transaction.atomic():
                fill_draft(draft, text)
                Draft.objects.filter(pk=draft.pk).update(claimed_at=None)
        except IntakeError as error:
            Draft.objects.filter(pk=draft.pk).update(
                state=Draft.State.FAILED, message=str(error)[:500], claimed_at=None
            )
        except Exception:
            logger.exception("OCR of draft %s failed", draft.pk)
            Draft.objects.filter(pk=draft.pk).update(
                state=Draft.State.FAILED,
                message=_("Nhận dạng chữ không thành công; hãy thử lại hoặc gửi bản PDF có lớp chữ.")[:500],
                claimed_at=None,
            )
    return done
