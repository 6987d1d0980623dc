"""Every write of the intake: a document read into a draft, the clerk's corrections, the confirmation.

As in tracking.services, each function checks the permission (the office's `manage_tasks`: 403 for
anyone else, nothing written), validates (ServiceError with a Vietnamese message) and writes in one
transaction. `confirm_draft` creates the directive and all its tasks through tracking.services
(`save_directive`, `create_task`), which write the history, inside one transaction: a task the
services refuse rolls everything back and names the task.
"""

import logging

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils.translation import gettext as _

from directives.models import Agency, Directive, PriorityGroup, Task
from tracking.permissions import Action, require
from tracking.services import Conflict, ServiceError, create_task, save_directive

from .models import Draft, DraftTask
from .parsing import Gazetteer, IntakeError, parse_text
from .parsing.model import Proposal, TaskProposal
from .parsing.readers import MAX_BYTES, ocr_available, pdf_text, read_document

logger = logging.getLogger("camau.intake")

SUFFIXES = (".txt", ".docx", ".pdf")
MIN_CHARS_PER_PAGE = 40
DIRECTIVE_FIELDS = ["type", "number", "issue_date", "issuer", "signer", "signer_title", "summary"]
TASK_FIELDS = ["clause", "item", "text", "deadline_kind", "deadline", "deadline_text", "recurrence"]
RECURRENCES = {choice.value for choice in Task.Recurrence}


def database_agencies() -> list[dict]:
    """The agencies the office keeps, as the parser's gazetteer data (short names count as aliases)."""
    rows = Agency.objects.order_by("code").values("code", "name", "short_name", "kind", "aliases")
    return [{**row, "aliases": [*(row["aliases"] or []), row["short_name"]]} for row in rows]


# --- A document into a draft ---------------------------------------------------------------------


def start_draft(actor, *, text: str = "", upload=None) -> Draft:
    """A draft from pasted text or an uploaded .txt, .docx or .pdf.

    1. A scan (a PDF without a text layer) is queued for the OCR job (intake.jobs) when Tesseract's
       Vietnamese model is installed, else refused with a message; the page shows the job's progress.
    2. Anything else is read and parsed now: the draft comes back ready for review.
    """
    require(actor, Action.MANAGE_TASKS)
    if upload is None:
        if not text.strip():
            raise ServiceError(_("Chưa chọn tệp hoặc dán nội dung văn bản."))
        return _draft_from_text(actor, text, "")
    name = upload.name or ""
    if not name.lower().endswith(SUFFIXES):
        raise ServiceError(_("Chỉ đọc được văn bản dạng .docx, .pdf hoặc .txt."))
    if upload.size > MAX_BYTES:
        raise ServiceError(_("Tệp quá lớn: tối đa 20 MB."))
    data = upload.read()
    if name.lower().endswith(".pdf") and _is_scan(data):
        if not ocr_available():
            raise ServiceError(
                _(
                    "Tệp PDF không có lớp chữ (bản quét) và máy chủ chưa cài nhận dạng chữ tiếng Việt "
                    "(Tesseract với gói tesseract-ocr-vie và ocrmypdf): không đọc được nội dung. Hãy "
                    "gửi bản PDF có lớp chữ, tệp DOCX, hoặc dán nội dung."
                )
            )
        draft = Draft(created_by=actor, state=Draft.State.QUEUED, source_name=name[:255])
        draft.file.save(name, ContentFile(data), save=False)
        draft.save()
        return draft
    try:
        text = read_document(data, name, ocr=False)
    except IntakeError as error:
        raise ServiceError(str(error)) from error
    return _draft_from_text(actor, text, name, ContentFile(data, name=name))


def _is_scan(data: bytes) -> bool:
    try:
        text, pages = pdf_text(data)
    except IntakeError as error:
        raise ServiceError(str(error)) from error
    return len(text.strip()) < MIN_CHARS_PER_PAGE * max(pages, 1)


@transaction.atomic
def _draft_from_text(actor, text: str, name: str, file=None) -> Draft:
    if not text.strip():
        raise ServiceError(_("Văn bản không có nội dung đọc được."))
    draft = Draft(created_by=actor, source_name=name[:255])
    if file is not None:
        draft.file.save(name, file, save=False)
    fill_draft(draft, text)
    return draft


def fill_draft(draft: Draft, text: str) -> None:
    """Parse `text` into `draft` (saved) and its tasks. Also used by the OCR job once the scan is read."""
    proposal = parse_text(text, Gazetteer(database_agencies()))
    d = proposal.directive
    # The lines as the parser read them (normalised), so that every span's offsets fall where they point.
    draft.text = "\n".join(proposal.lines)
    draft.state = Draft.State.REVIEW
    draft.type = d.type or ""
    draft.number = d.number[:64]
    draft.issue_date = d.issue_date
    draft.issuer = (d.issuer or Directive._meta.get_field("issuer").default)[:200]
    draft.signer = d.signer[:120]
    draft.signer_title = d.signer_title[:120]
    draft.summary = d.title
    draft.sources = {key: span.as_dict() for key, span in d.sources.items()}
    draft.progress = 100
    draft.save()
    _create_tasks(draft, proposal)


def _create_tasks(draft: Draft, proposal: Proposal) -> None:
    """One DraftTask per proposed task, with agencies and groups in a few bulk queries."""
    ids = dict(Agency.objects.values_list("code", "id"))
    groups = dict(PriorityGroup.objects.values_list("code", "id"))
    items = _items(proposal.tasks)
    rows, links = [], []
    for position, (task, item) in enumerate(zip(proposal.tasks, items, strict=True), start=1):
        rows.append(_draft_task(draft, position, task, item))
        links.append(
            (
                _ids(task.lead_codes(), ids),
                _ids(task.support_codes(), ids),
                [groups[g.code] for g in task.groups if g.code in groups],
            )
        )
    DraftTask.objects.bulk_create(rows)
    lead_rows, support_rows, group_rows = [], [], []
    for row, (leads, supports, group_ids) in zip(rows, links, strict=True):
        lead_rows += [DraftTask.leads.through(drafttask_id=row.pk, agency_id=pk) for pk in leads]
        support_rows += [DraftTask.supports.through(drafttask_id=row.pk, agency_id=pk) for pk in supports]
        group_rows += [DraftTask.groups.through(drafttask_id=row.pk, prioritygroup_id=pk) for pk in group_ids]
    DraftTask.leads.through.objects.bulk_create(lead_rows)
    DraftTask.supports.through.objects.bulk_create(support_rows)
    DraftTask.groups.through.objects.bulk_create(group_rows)


def _ids(codes: list[str], ids: dict[str, int]) -> list[int]:
    return list(dict.fromkeys(ids[code] for code in codes if code in ids))


def _items(tasks: list[TaskProposal]) -> list[int]:
    """The item (ý) of each task: none when its clause has one task ("mục 3"); else the parser's, or 1,
    2, … among the tasks of the clause, so that (clause, item) is distinct as the register requires."""
    per_clause: dict[str, int] = {}
    for task in tasks:
        per_clause[task.clause] = per_clause.get(task.clause, 0) + 1
    seen: dict[str, int] = {}
    result = []
    for task in tasks:
        if task.item and per_clause[task.clause] > 1:
            result.append(task.item)
            continue
        seen[task.clause] = seen.get(task.clause, 0) + 1
        result.append(seen[task.clause] if per_clause[task.clause] > 1 else 0)
    return result


def _draft_task(draft: Draft, position: int, task: TaskProposal, item: int) -> DraftTask:
    deadline = task.deadline
    kind = deadline.kind if deadline.kind in Task.DeadlineKind.values else Task.DeadlineKind.NONE
    recurrence = deadline.recurrence if deadline.recurrence in RECURRENCES else ""
    if kind == Task.DeadlineKind.RECURRING and not recurrence:
        kind = Task.DeadlineKind.NONE
    if recurrence and kind == Task.DeadlineKind.NONE:
        kind = Task.DeadlineKind.RECURRING
    spans = [{**s.as_dict(), "kind": "task"} for s in task.spans or [task.source]]
    for role, refs in (("lead", task.leads), ("support", task.supports)):
        spans += [{**ref.source.as_dict(), "kind": role} for ref in refs if ref.source]
    for source in (deadline.source, deadline.recurrence_source):
        if source:
            spans.append({**source.as_dict(), "kind": "deadline"})
    spans += [{**t.source.as_dict(), "kind": "target"} for t in task.targets if t.source]
    return DraftTask(
        draft=draft,
        position=position,
        clause=(task.clause or str(position))[:32],
        item=min(item or 0, 32767),
        text=task.text,
        lead_phrases=[ref.as_dict() for ref in task.leads],
        support_phrases=[ref.as_dict() for ref in task.supports],
        deadline_kind=kind,
        deadline=deadline.value if kind in (Task.DeadlineKind.DATE, Task.DeadlineKind.PERIOD) else None,
        deadline_text=(deadline.phrase or "")[:200],
        recurrence=recurrence,
        targets=[t.as_dict() for t in task.targets],
        spans=spans,
        source_line=task.source.line,
    )


# --- The clerk's corrections ---------------------------------------------------------------------


def _lock(draft: Draft, version: int | None) -> Draft:
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    if not locked.is_editable:
        raise ServiceError(_("Bản nháp này đã được xác nhận hoặc chưa đọc xong: không sửa được nữa."))
    if version is not None and locked.version != version:
        raise Conflict(locked)
    return locked


def _touch(draft: Draft) -> None:
    draft.version += 1
    draft.save(update_fields=["version", "updated_at"])


@transaction.atomic
def update_draft(actor, draft: Draft, *, version: int | None, **fields) -> Draft:
    require(actor, Action.MANAGE_TASKS)
    draft = _lock(draft, version)
    for name in DIRECTIVE_FIELDS:
        if name in fields:
            setattr(draft, name, fields[name] if fields[name] is not None or name == "issue_date" else "")
    draft.version += 1
    draft.save()
    return draft


def check_task_fields(fields: dict) -> None:
    """The rules of tracking.services for a task's deadline, told while the clerk edits."""
    kind = fields.get("deadline_kind")
    if kind in (Task.DeadlineKind.DATE, Task.DeadlineKind.PERIOD) and not fields.get("deadline"):
        raise ServiceError(_("Thời hạn theo ngày hoặc theo kỳ cần có ngày hết hạn."))
    if kind == Task.DeadlineKind.RECURRING and not fields.get("recurrence"):
        raise ServiceError(_("Nhiệm vụ định kỳ cần chọn chu kỳ."))


@transaction.atomic
def update_task(actor, task: DraftTask, *, leads, supports, groups=None, **fields) -> DraftTask:
    """Save one draft task as the clerk corrected it (leads, supports and fields together)."""
    require(actor, Action.MANAGE_TASKS)
    _lock(task.draft, None)
    fields = {name: fields[name] for name in TASK_FIELDS if name in fields}
    if fields.get("deadline_kind") == Task.DeadlineKind.NONE:
        fields["deadline"] = None
    check_task_fields(fields)
    for name, value in fields.items():
        setattr(task, name, value if value is not None or name == "deadline" else "")
    task.item = task.item or 0
    task.save()
    task.leads.set(leads)
    task.supports.set(supports)
    if groups is not None:
        task.groups.set(groups)
    _touch(task.draft)
    return task


@transaction.atomic
def add_task(actor, draft: Draft) -> DraftTask:
    require(actor, Action.MANAGE_TASKS)
    draft = _lock(draft, None)
    last = draft.tasks.order_by("-position").values_list("position", flat=True).first() or 0
    task = DraftTask.objects.create(draft=draft, position=last + 1, clause=str(last + 1))
    _touch(draft)
    return task


@transaction.atomic
def remove_task(actor, task: DraftTask) -> None:
    require(actor, Action.MANAGE_TASKS)
    _lock(task.draft, None)
    task.delete()
    _touch(task.draft)


@transaction.atomic
def discard_draft(actor, draft: Draft) -> None:
    require(actor, Action.MANAGE_TASKS)
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    if draft.state == Draft.State.CONFIRMED:
        raise ServiceError(_("Bản nháp đã được xác nhận thành văn bản: không xóa được."))
    if draft.state == Draft.State.READING:
        raise ServiceError(_("Đang nhận dạng chữ: chờ xong rồi mới xóa được."))
    if draft.file:
        draft.file.delete(save=False)
    draft.delete()


# --- "Xác nhận" ------------------------------------------------------------------------------------


@transaction.atomic
def confirm_draft(actor, draft: Draft, *, version: int | None = None) -> Directive:
    """The directive and every task of the draft, through tracking.services, in one transaction."""
    require(actor, Action.MANAGE_TASKS)
    draft = _lock(draft, version)
    tasks = list(draft.tasks.prefetch_related("leads", "supports", "groups").order_by("position", "id"))
    if not tasks:
        raise ServiceError(_("Bản nháp chưa có nhiệm vụ nào."))
    if not draft.type:
        raise ServiceError(_("Chưa chọn loại văn bản."))
    if not draft.summary.strip():
        raise ServiceError(_("Chưa nhập trích yếu."))
    fields = {name: getattr(draft, name) for name in DIRECTIVE_FIELDS}
    fields["issuer"] = fields["issuer"] or Directive._meta.get_field("issuer").default
    fields["text"] = draft.text
    # The signed document goes with the directive (its download checks the reader); pasted text has none.
    attach = bool(draft.file) and draft.source_name.lower().endswith((".pdf", ".docx"))
    if attach:
        fields["file"] = File(draft.file.open("rb"), name=draft.source_name)
    try:
        directive = save_directive(actor, None, **fields)
    finally:
        if attach:
            draft.file.close()
    for number, task in enumerate(tasks, start=1):
        _confirm_task(actor, directive, number, task)
    draft.state = Draft.State.CONFIRMED
    draft.directive = directive
    _touch(draft)
    draft.save(update_fields=["state", "directive"])
    logger.info("draft %s confirmed as directive %s by %s", draft.pk, directive.pk, actor)
    return directive


def _confirm_task(actor, directive: Directive, number: int, task: DraftTask) -> Task:
    try:
        if not task.clause.strip():
            raise ServiceError(_("Chưa nhập mục."))
        return create_task(
            actor,
            directive,
            leads=list(task.leads.all()),
            supporters=list(task.supports.all()),
            groups=list(task.groups.all()),
            clause=task.clause.strip(),
            item=task.item or 0,
            text=task.text,
            deadline_kind=task.deadline_kind,
            deadline=task.deadline,
            deadline_text=task.deadline_text,
            recurrence=task.recurrence,
            leader=None,
        )
    except ServiceError as error:
        raise ServiceError(
            [
                _("Nhiệm vụ %(n)d (mục %(c)s): %(m)s") % {"n": number, "c": task.clause_display, "m": m}
                for m in error.messages
            ]
        ) from error
