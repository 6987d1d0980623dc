"""What happens to assignments over time: progress reports, extensions and the append-only history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.dates import format_day
from core.uploads import ORIGINAL_NAME_MAX, EvidenceFileField, EvidenceFileMixin, UnguessableName


class ProgressReport(EvidenceFileMixin, models.Model):
    """A dated progress report from the lead agency (or a supporting agency's contribution)."""

    assignment = models.ForeignKey(
        "directives.Assignment",
        verbose_name=_("phân công"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người báo cáo"), null=True, on_delete=models.SET_NULL
    )
    agency = models.ForeignKey(
        "directives.Agency", verbose_name=_("cơ quan báo cáo"), on_delete=models.PROTECT
    )
    reported_on = models.DateField(_("ngày báo cáo"))
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"))
    text = models.TextField(_("nội dung"))
    file = EvidenceFileField(
        _("tệp đính kèm"), upload_to=UnguessableName("reports/%Y/%m/"), blank=True, kind="report"
    )
    original_name = models.CharField(_("tên tệp"), max_length=ORIGINAL_NAME_MAX, blank=True, editable=False)
    proposes_completion = models.BooleanField(
        _("đề nghị hoàn thành"),
        default=False,
        help_text=_("Báo cáo kết quả kèm đề nghị Văn phòng xác nhận hoàn thành."),
    )
    is_simulated = models.BooleanField(_("dữ liệu mô phỏng"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{format_day(self.reported_on)} – {self.percent}%"


class Extension(models.Model):
    """A request to move an assignment's deadline. The task keeps its original deadline."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ xem xét")
        APPROVED = "approved", _("Đã đồng ý")
        REJECTED = "rejected", _("Không đồng ý")

    assignment = models.ForeignKey(
        "directives.Assignment",
        verbose_name=_("phân công"),
        on_delete=models.CASCADE,
        related_name="extensions",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đề nghị"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_on = models.DateField(_("ngày đề nghị"))
    reason = models.TextField(_("lý do"))
    old_deadline = models.DateField(_("thời hạn trước khi gia hạn"), null=True)
    new_deadline = models.DateField(_("thời hạn mới"))
    status = models.CharField(_("kết quả"), max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quyết định"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_note = models.TextField(_("ý kiến"), blank=True)
    is_simulated = models.BooleanField(_("dữ liệu mô phỏng"), default=False)

    class Meta:
        verbose_name = _("gia hạn")
        verbose_name_plural = _("gia hạn")
        ordering = ["-requested_on", "-id"]
        indexes = [
            # tracking.classification looks up the latest approved extension as of a date.
            models.Index(
                fields=["assignment", "decided_on"],
                name="extension_approved_by_date",
                condition=models.Q(status="approved"),
            ),
        ]

    def __str__(self) -> str:
        return f"{format_day(self.new_deadline)} ({self.get_status_display()})"


class Contribution(EvidenceFileMixin, models.Model):
    """What a supporting agency (cơ quan phối hợp) reports on a task it supports; the lead sees it."""

    task = models.ForeignKey(
        "directives.Task", verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="contributions"
    )
    agency = models.ForeignKey(
        "directives.Agency", verbose_name=_("cơ quan phối hợp"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người báo cáo"), null=True, on_delete=models.SET_NULL
    )
    reported_on = models.DateField(_("ngày báo cáo"))
    text = models.TextField(_("nội dung phối hợp"))
    file = EvidenceFileField(
        _("tệp đính kèm"), upload_to=UnguessableName("contributions/%Y/%m/"), blank=True, kind="contribution"
    )
    original_name = models.CharField(_("tên tệp"), max_length=ORIGINAL_NAME_MAX, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ý kiến phối hợp")
        verbose_name_plural = _("ý kiến phối hợp")
        ordering = ["-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{format_day(self.reported_on)} – {self.agency}"


class Urging(models.Model):
    """The office urging (đôn đốc) a lead agency on one assignment; shown to the agency."""

    assignment = models.ForeignKey(
        "directives.Assignment", verbose_name=_("phân công"), on_delete=models.CASCADE, related_name="urgings"
    )
    urged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người đôn đốc"), null=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(_("thời điểm"))
    message = models.TextField(_("nội dung đôn đốc"))
    is_simulated = models.BooleanField(_("dữ liệu mô phỏng"), default=False)

    class Meta:
        verbose_name = _("đôn đốc")
        verbose_name_plural = _("đôn đốc")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{format_day(self.at)} – {self.assignment_id}"


class Comment(models.Model):
    """A leader's direction comment (ý kiến chỉ đạo) on a task; the agencies and the office see it."""

    task = models.ForeignKey(
        "directives.Task", verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("lãnh đạo"), null=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(_("thời điểm"))
    text = models.TextField(_("ý kiến chỉ đạo"))

    class Meta:
        verbose_name = _("ý kiến chỉ đạo")
        verbose_name_plural = _("ý kiến chỉ đạo")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{format_day(self.at)} – {self.author}"


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk updates and deletes would bypass the model's guard: refuse them too."""

    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.label} is append-only.")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.label} is append-only.")


class AppendOnlyModel(models.Model):
    """A history row: written once, never edited nor deleted (TaskEvent, DirectiveEvent,
    targets.ActualChange, targets.TargetEvent)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError(f"{self._meta.label} is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.label} is append-only.")


class TaskEvent(AppendOnlyModel):
    """One entry of a task's history: who, when, what, before and after. Never edited nor deleted."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Giao nhiệm vụ")
        REPORT = "report", _("Báo cáo tiến độ")
        PROPOSED = "proposed", _("Đề nghị hoàn thành")
        COMPLETED = "completed", _("Xác nhận hoàn thành")
        EXTENSION_REQUESTED = "extension_requested", _("Đề nghị gia hạn")
        EXTENSION_DECIDED = "extension_decided", _("Quyết định gia hạn")
        URGED = "urged", _("Đôn đốc")
        COMMENT = "comment", _("Ý kiến chỉ đạo")
        CHANGED = "changed", _("Cập nhật")
        PAUSED = "paused", _("Tạm dừng")
        RESUMED = "resumed", _("Tiếp tục thực hiện")
        CANCELLED = "cancelled", _("Hủy bỏ")
        RETURNED = "returned", _("Trả lại đề nghị hoàn thành")
        REASSIGNED = "reassigned", _("Chuyển cơ quan chủ trì")
        CONTRIBUTION = "contribution", _("Ý kiến phối hợp")

    task = models.ForeignKey(
        "directives.Task", on_delete=models.PROTECT, related_name="events", verbose_name=_("nhiệm vụ")
    )
    assignment = models.ForeignKey(
        "directives.Assignment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("phân công"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("người thực hiện"),
    )
    at = models.DateTimeField(_("thời điểm"))
    kind = models.CharField(_("loại"), max_length=32, choices=Kind.choices)
    summary = models.TextField(_("nội dung"))
    before = models.JSONField(_("trước"), default=dict, blank=True)
    after = models.JSONField(_("sau"), default=dict, blank=True)
    is_simulated = models.BooleanField(_("dữ liệu mô phỏng"), default=False)

    class Meta:
        verbose_name = _("lịch sử")
        verbose_name_plural = _("lịch sử")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_kind_display()}"


class DirectiveEvent(AppendOnlyModel):
    """One entry of a directive's history (created, edited): who, when, the fields before and after.

    Its own table rather than TaskEvent: a directive is not a task, and TaskEvent.task is required."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Thêm văn bản")
        CHANGED = "changed", _("Sửa văn bản")

    directive = models.ForeignKey(
        "directives.Directive", on_delete=models.PROTECT, related_name="events", verbose_name=_("văn bản")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("người thực hiện"),
    )
    at = models.DateTimeField(_("thời điểm"))
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    before = models.JSONField(_("trước"), default=dict, blank=True)
    after = models.JSONField(_("sau"), default=dict, blank=True)

    class Meta:
        verbose_name = _("lịch sử văn bản")
        verbose_name_plural = _("lịch sử văn bản")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_kind_display()}"


class Heartbeat(models.Model):
    """When each periodic job last ran, so the pages can show that the background work is alive."""

    name = models.CharField(max_length=64, unique=True)
    last_run = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
