"""Downloads of the attached files, after a permission check; the only way a file leaves the app.

`/files/<kind>/<id>/` answers 404 for an unknown kind, a missing row or a row without a file, 403
(logged) to a user who may not read what the file belongs to, and otherwise the file as an attachment
under the name the user gave (RFC 5987 `filename*=utf-8''…` for Vietnamese names), never cached and
never sniffed. With `FILES_X_ACCEL_REDIRECT` set (a prefix the proxy maps, `internal`, onto
MEDIA_ROOT), the answer is empty and carries `X-Accel-Redirect` so that the proxy sends the bytes.
"""

import logging
import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from core.http import HtmxHttpRequest
from directives.models import Directive
from targets.models import Actual

from .models import Contribution, ProgressReport
from .permissions import Action, require

logger = logging.getLogger("camau.files")

# kind in the URL -> (rows, what a user must be allowed to read to get the row's file)
KINDS = {
    "report": (ProgressReport.objects.select_related("assignment__task"), lambda row: row.assignment.task),
    "contribution": (Contribution.objects.select_related("task"), lambda row: row.task),
    "target": (Actual.objects.select_related("target"), lambda row: row.target),
    "directive": (Directive.objects.all(), lambda row: row),
}


@require_safe
@login_required
def download(request: HtmxHttpRequest, kind: str, pk: int):
    if kind not in KINDS:
        raise Http404
    rows, owner = KINDS[kind]
    row = get_object_or_404(rows, pk=pk)
    require(request.user, Action.READ, owner(row))
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
