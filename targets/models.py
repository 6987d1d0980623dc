"""Targets (chỉ tiêu): the numbers a year's programme promises, their milestones and reported values."""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.dates import format_day
from core.uploads import ORIGINAL_NAME_MAX, EvidenceFileField, EvidenceFileMixin, UnguessableName
from tracking.models import AppendOnlyError, AppendOnlyModel  # noqa: F401 (AppendOnlyError re-exported)

from .progress import Direction, Frequency, Trajectory, period_ends, period_label


class TargetQuerySet(models.QuerySet):
    def in_group(self, group):
        """Targets tagged with the group or one of its sub-groups (EXISTS, so two tags count once)."""
        tagged = Target.groups.through.objects.filter(target_id=models.OuterRef("pk")).filter(
            models.Q(prioritygroup=group) | models.Q(prioritygroup__parent=group)
        )
        return self.filter(models.Exists(tagged))


class Target(models.Model):
    """A number to reach by the end of a period, with the agency responsible for reporting it."""

    code = models.CharField(
        _("mã"), max_length=40, unique=True, help_text=_("Khóa duy nhất dùng khi nạp dữ liệu.")
    )
    name = models.CharField(_("tên chỉ tiêu"), max_length=300)
    unit = models.CharField(_("đơn vị tính"), max_length=40)
    direction = models.CharField(_("chiều đánh giá"), max_length=16, choices=Direction.choices)
    target_value = models.DecimalField(_("mức chỉ tiêu"), max_digits=16, decimal_places=4)
    target_is_change = models.BooleanField(
        _("mức chỉ tiêu là mức thay đổi so với kỳ gốc"),
        default=False,
        help_text=_("Ví dụ “tăng ít nhất 05 bậc”. Chỉ tiêu “giảm ít nhất” luôn tính so với kỳ gốc."),
    )
    target_text = models.CharField(_("chỉ tiêu theo văn bản"), max_length=300)
    period_label = models.CharField(_("kỳ chỉ tiêu"), max_length=80, help_text=_("Ví dụ: năm 2023"))
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    baseline = models.DecimalField(
        _("giá trị kỳ gốc"),
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Để trống khi văn bản không nêu: cơ quan báo cáo số liệu kỳ gốc."),
    )
    baseline_date = models.DateField(
        _("ngày kỳ gốc"), null=True, blank=True, help_text=_("Để trống: ngày trước ngày bắt đầu kỳ.")
    )
    baseline_note = models.CharField(_("ghi chú kỳ gốc"), max_length=300, blank=True)
    trajectory = models.CharField(
        _("lộ trình"), max_length=16, choices=Trajectory.choices, default=Trajectory.LINEAR
    )
    cumulative = models.BooleanField(
        _("số lũy kế"), default=False, help_text=_("Số liệu cộng dồn trong kỳ, không thể giảm.")
    )
    is_share = models.BooleanField(
        _("tỷ lệ trên tổng số"), default=False, help_text=_("Giá trị hợp lệ từ 0% đến 100%.")
    )
    frequency = models.CharField(
        _("kỳ báo cáo"), max_length=16, choices=Frequency.choices, default=Frequency.MONTH
    )
    responsible_agency = models.ForeignKey(
        "directives.Agency",
        verbose_name=_("cơ quan chịu trách nhiệm"),
        on_delete=models.PROTECT,
        related_name="targets",
    )
    agency_note = models.CharField(_("ghi chú về cơ quan chịu trách nhiệm"), max_length=300, blank=True)
    groups = models.ManyToManyField(
        "directives.PriorityGroup", verbose_name=_("nhóm nhiệm vụ"), blank=True, related_name="targets"
    )
    directive = models.ForeignKey(
        "directives.Directive",
        verbose_name=_("văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
    )
    # The tasks that serve this target (issue 13, item 7): the target page lists them with their status,
    # the task page lists its targets.
    tasks = models.ManyToManyField(
        "directives.Task", verbose_name=_("nhiệm vụ thực hiện"), blank=True, related_name="targets"
    )
    clause = models.CharField(_("mục"), max_length=40, blank=True)
    quote = models.TextField(_("trích văn bản"), blank=True)
    source_line = models.PositiveIntegerField(_("dòng trong văn bản gốc"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_simulated = models.BooleanField(_("dữ liệu mô phỏng"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")), name="target_period_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("target-detail", args=[self.pk])

    @property
    def baseline_start(self) -> datetime.date:
        """The date a reported baseline value is for."""
        return self.baseline_date or self.period_start - datetime.timedelta(days=1)

    @property
    def takes_reported_baseline(self) -> bool:
        """Whether the agency may report the baseline: the text gives none and the path needs one."""
        return self.baseline is None and (
            self.trajectory == Trajectory.LINEAR
            or self.direction == Direction.REDUCE_BY
            or self.target_is_change
        )

    def reporting_periods(self, today: datetime.date) -> list[tuple[str, datetime.date]]:
        """(kind, last day) of the periods a value may be reported for on `today`: the baseline (when
        the agency supplies it) and every period of the target that has begun by then."""
        periods = [("baseline", self.baseline_start)] if self.takes_reported_baseline else []
        previous_end = self.period_start - datetime.timedelta(days=1)
        for day in period_ends(self.period_start, self.period_end, self.frequency):
            if previous_end >= today:
                break
            periods.append((self.frequency, day))
            previous_end = day
        return periods


class Milestone(models.Model):
    """A value the text asks for by an intermediate date (footnote 4 of the 2023 programme)."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="milestones")
    due = models.DateField(_("đến ngày"))
    value = models.DecimalField(_("mức cần đạt"), max_digits=16, decimal_places=4)
    quote = models.TextField(_("trích văn bản"), blank=True)

    class Meta:
        verbose_name = _("mốc chỉ tiêu")
        verbose_name_plural = _("mốc chỉ tiêu")
        ordering = ["target_id", "due"]
        constraints = [models.UniqueConstraint(fields=["target", "due"], name="milestone_unique_due")]

    def __str__(self) -> str:
        return f"{self.value} – {format_day(self.due)}"


class Actual(EvidenceFileMixin, models.Model):
    """The value of a target for one period, as the responsible agency last reported it.

    A correction overwrites the value here; every report, with the value before and after, is kept
    in ActualChange.
    """

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Kỳ gốc")
        MONTH = "month", _("Tháng")
        QUARTER = "quarter", _("Quý")
        YEAR = "year", _("Năm")

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="actuals")
    period_kind = models.CharField(_("loại kỳ"), max_length=16, choices=Kind.choices)
    period_end = models.DateField(_("ngày cuối kỳ"))
    value = models.DecimalField(_("giá trị"), max_digits=16, decimal_places=4)
    note = models.TextField(_("ghi chú"), blank=True)
    file = EvidenceFileField(
        _("tệp minh chứng"), upload_to=UnguessableName("targets/%Y/%m/"), blank=True, kind="target"
    )
    original_name = models.CharField(_("tên tệp"), max_length=ORIGINAL_NAME_MAX, blank=True, editable=False)
    flags = models.JSONField(_("cảnh báo"), default=list, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người báo cáo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_on = models.DateField(_("ngày báo cáo"))
    updated_at = models.DateTimeField(auto_now=True)
    is_simulated = models.BooleanField(_("dữ liệu mô phỏng"), default=False)

    class Meta:
        verbose_name = _("số liệu thực hiện")
        verbose_name_plural = _("số liệu thực hiện")
        ordering = ["target_id", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["target", "period_end"], name="actual_unique_period"),
        ]

    def __str__(self) -> str:
        return f"{self.period_display}: {self.value}"

    @property
    def period_display(self) -> str:
        return period_label(self.period_kind, self.period_end)


class ActualChange(AppendOnlyModel):
    """One report of a value: who, when, the value before (None for a first report) and after."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="changes")
    actual = models.ForeignKey(Actual, on_delete=models.CASCADE, related_name="changes")
    period_kind = models.CharField(_("loại kỳ"), max_length=16, choices=Actual.Kind.choices)
    period_end = models.DateField(_("ngày cuối kỳ"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người báo cáo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("thời điểm"))
    before_value = models.DecimalField(_("giá trị trước"), max_digits=16, decimal_places=4, null=True)
    after_value = models.DecimalField(_("giá trị sau"), max_digits=16, decimal_places=4)
    before_note = models.TextField(_("ghi chú trước"), blank=True)
    after_note = models.TextField(_("ghi chú sau"), blank=True)
    file_name = models.CharField(_("tệp minh chứng"), max_length=255, blank=True)
    flags = models.JSONField(_("cảnh báo đã xác nhận"), default=list, blank=True)
    is_simulated = models.BooleanField(_("dữ liệu mô phỏng"), default=False)

    class Meta:
        verbose_name = _("lịch sử số liệu")
        verbose_name_plural = _("lịch sử số liệu")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.period_display}"

    @property
    def period_display(self) -> str:
        return period_label(self.period_kind, self.period_end)


class PeriodLock(models.Model):
    """The office has closed a period of a target: its value no longer changes."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="locks")
    period_end = models.DateField(_("ngày cuối kỳ"))
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người khóa"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    locked_at = models.DateTimeField(_("thời điểm khóa"))

    class Meta:
        verbose_name = _("khóa số liệu kỳ")
        verbose_name_plural = _("khóa số liệu kỳ")
        ordering = ["target_id", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["target", "period_end"], name="period_lock_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.target_id} – {format_day(self.period_end)}"


class TargetEvent(AppendOnlyModel):
    """The history of a target besides its values (those are in ActualChange): a period locked or
    unlocked by the office, the target itself changed in the admin. Who, when, before and after."""

    class Kind(models.TextChoices):
        LOCKED = "locked", _("Khóa số liệu kỳ")
        UNLOCKED = "unlocked", _("Mở khóa số liệu kỳ")
        CREATED = "created", _("Thêm chỉ tiêu")
        CHANGED = "changed", _("Sửa chỉ tiêu")

    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("thời điểm"))
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    period_kind = models.CharField(_("loại kỳ"), max_length=16, choices=Actual.Kind.choices, blank=True)
    period_end = models.DateField(_("ngày cuối kỳ"), null=True, blank=True)
    before = models.JSONField(_("trước"), default=dict, blank=True)
    after = models.JSONField(_("sau"), default=dict, blank=True)
    reason = models.TextField(_("lý do"), blank=True)

    class Meta:
        verbose_name = _("lịch sử chỉ tiêu")
        verbose_name_plural = _("lịch sử chỉ tiêu")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_kind_display()}"

    @property
    def period_display(self) -> str:
        return period_label(self.period_kind, self.period_end) if self.period_end else ""
