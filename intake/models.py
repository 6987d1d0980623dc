"""Drafts of directives read from a document: what the clerk reviews before anything is tracked.

A draft holds the document's text, the directive's fields and one `DraftTask` per proposed task, each
with the spans of the text it was read from. Nothing here is counted or reminded: "Xác nhận"
(intake.services.confirm_draft) creates the directive and its tasks through tracking.services, in one
transaction, and the draft then only points to the directive it became.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.uploads import UnguessableName
from directives.models import Agency, Directive, PriorityGroup, Task


class Draft(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Chờ nhận dạng chữ")
        READING = "reading", _("Đang nhận dạng chữ")
        FAILED = "failed", _("Không đọc được")
        REVIEW = "review", _("Đang rà soát")
        CONFIRMED = "confirmed", _("Đã xác nhận")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="intake_drafts",
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    state = models.CharField(_("trạng thái"), max_length=16, choices=State.choices, default=State.REVIEW)
    source_name = models.CharField(_("tệp gốc"), max_length=255, blank=True)
    # The uploaded document, kept for the OCR job and attached to the directive on confirmation.
    # Never served from here: once confirmed it goes out through the directive's download.
    file = models.FileField(upload_to=UnguessableName("intake/%Y/"), blank=True)
    text = models.TextField(_("nội dung"), blank=True)
    # OCR job (intake.jobs.read_queued_scans): progress in percent, and when a worker claimed it.
    progress = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    message = models.CharField(max_length=500, blank=True)
    # The directive's fields, as in directives.Directive.
    type = models.CharField(_("loại văn bản"), max_length=16, choices=Directive.Type.choices, blank=True)
    number = models.CharField(_("số, ký hiệu"), max_length=64, blank=True)
    issue_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    signer = models.CharField(_("người ký"), max_length=120, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    summary = models.TextField(_("trích yếu"), blank=True)
    sources = models.JSONField(default=dict, blank=True)  # field name -> span, for highlighting
    directive = models.ForeignKey(
        Directive, null=True, blank=True, on_delete=models.SET_NULL, related_name="drafts"
    )
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("bản nháp văn bản")
        verbose_name_plural = _("bản nháp văn bản")
        ordering = ["-updated_at", "-id"]
        indexes = [
            # intake.jobs.read_queued_scans looks for queued scans (and stale claims) every few seconds.
            models.Index(fields=["state", "claimed_at"], name="draft_state_claim"),
        ]

    def __str__(self) -> str:
        label = self.get_type_display() if self.type else _("Văn bản")
        return f"{label} {self.number or self.source_name or ''}".strip()

    @property
    def is_editable(self) -> bool:
        return self.state == self.State.REVIEW


class DraftTask(models.Model):
    """A task as the parser proposed it and the clerk corrected it. `leads`, `supports` and `groups`
    are what "Xác nhận" saves; the phrases and spans are what the text said, to show beside them."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveIntegerField(default=0)
    clause = models.CharField(_("mục"), max_length=32, blank=True)
    item = models.PositiveSmallIntegerField(_("ý"), default=0)
    text = models.TextField(_("nội dung nhiệm vụ"), blank=True)
    leads = models.ManyToManyField(Agency, verbose_name=_("cơ quan chủ trì"), blank=True, related_name="+")
    supports = models.ManyToManyField(
        Agency, verbose_name=_("cơ quan phối hợp"), blank=True, related_name="+"
    )
    groups = models.ManyToManyField(
        PriorityGroup, verbose_name=_("nhóm nhiệm vụ"), blank=True, related_name="+"
    )
    lead_phrases = models.JSONField(default=list, blank=True)
    support_phrases = models.JSONField(default=list, blank=True)
    deadline_kind = models.CharField(
        _("loại thời hạn"), max_length=16, choices=Task.DeadlineKind.choices, default=Task.DeadlineKind.NONE
    )
    deadline = models.DateField(_("thời hạn"), null=True, blank=True)
    deadline_text = models.CharField(_("thời hạn (theo văn bản)"), max_length=200, blank=True)
    recurrence = models.CharField(_("chu kỳ"), max_length=16, choices=Task.Recurrence.choices, blank=True)
    targets = models.JSONField(default=list, blank=True)  # the parser's numeric phrases (as_dict)
    spans = models.JSONField(default=list, blank=True)  # every span of the text this task was read from
    source_line = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["draft", "position", "id"]

    def __str__(self) -> str:
        return f"{self.clause}: {self.text[:60]}"

    @property
    def clause_display(self) -> str:
        return f"{self.clause}, ý {self.item}" if self.item else self.clause
