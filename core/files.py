"""Downloads of the attached files, after a permission check; the only way a file leaves the app.

Each app registers the kinds of rows that carry a file (`register`, from its AppConfig.ready) with the
check a user must pass to read the row's file; this module imports no app.

`/files/<kind>/<id>/` answers 404 for an unknown kind, a missing row or a row without a file, 403
(logged) to a user who may not read what the file belongs to, and otherwise the file as an attachment
under the name the user gave (RFC 5987 `filename*=utf-8''…` for Vietnamese names), never cached and
never sniffed. With `FILES_X_ACCEL_REDIRECT` set (a prefix the proxy maps, `internal`, onto
MEDIA_ROOT), the answer is empty and carries `X-Accel-Redirect` so that the proxy sends the bytes.
"""

import logging
import mimetypes
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from .http import HtmxHttpRequest

logger = logging.getLogger("camau.files")

# kind in the URL -> (a function giving the rows, the check that raises PermissionDenied when the user
# may not read what the row belongs to)
KINDS: dict[str, tuple[Callable[[], QuerySet], Callable[[object, object], None]]] = {}


def register(kind: str, rows: Callable[[], QuerySet], check: Callable[[object, object], None]) -> None:
    """Serve the files of `rows()` under /files/<kind>/<id>/ to users for whom `check(user, row)` passes."""
    KINDS[kind] = (rows, check)


@require_safe
@login_required
def download(request: HtmxHttpRequest, kind: str, pk: int):
    if kind not in KINDS:
        raise Http404
    rows, check = KINDS[kind]
    row = get_object_or_404(rows(), pk=pk)
    check(request.user, row)
    if not row.file or not row.file.storage.exists(row.file.name):
        raise Http404
    name = row.download_name
    logger.info("download: user=%s kind=%s id=%s file=%s", request.user.pk, kind, row.pk, row.file.name)
    if settings.FILES_X_ACCEL_REDIRECT:
        response = HttpResponse(content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
        response["Content-Disposition"] = content_disposition_header(True, name)
        # Stored names are ASCII; rows from before the random names may not be, hence the quoting.
        response["X-Accel-Redirect"] = settings.FILES_X_ACCEL_REDIRECT + quote(row.file.name)
    else:
        response = FileResponse(row.file.open("rb"), as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
