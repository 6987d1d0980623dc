"""What the directives assign: agencies, directives, priority groups, tasks and their assignments."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.text import fold
from core.uploads import ORIGINAL_NAME_MAX, EvidenceFileField, EvidenceFileMixin, UnguessableName


class Agency(models.Model):
    """A cơ quan, đơn vị. Agencies merge and are renamed: validity and successor keep that history."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Sở, ban, ngành tỉnh")
        DISTRICT = "district", _("UBND huyện, thành phố")
        CENTRAL = "central", _("Cơ quan Trung ương đóng trên địa bàn")
        OFFICE = "office", _("Văn phòng UBND tỉnh")
        OTHER = "other", _("Cơ quan, tổ chức khác")

    code = models.CharField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên đầy đủ"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=80)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    aliases = models.JSONField(_("cách viết khác"), default=list, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan kế thừa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold(" ".join([self.name, self.short_name, *self.aliases]))
        super().save(*args, **kwargs)

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class AgencyGroup(models.Model):
    """A named group of agencies the texts assign work to ("các sở, ban, ngành tỉnh", "UBND các huyện,
    thành phố"): every agency of the listed kinds valid on the day, plus the members listed by hand.
    Usable in every agency field, where choosing it selects its members (still editable one by one)."""

    code = models.SlugField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên nhóm"), max_length=200)
    kinds = models.JSONField(
        _("gồm các loại cơ quan"),
        default=list,
        blank=True,
        help_text=_("Mọi cơ quan thuộc các loại này (còn hiệu lực) là thành viên của nhóm."),
    )
    members = models.ManyToManyField(
        Agency, verbose_name=_("thành viên khác"), blank=True, related_name="named_groups"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nhóm cơ quan")
        verbose_name_plural = _("nhóm cơ quan")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def member_ids(self, agencies, day: datetime.date) -> list[int]:
        """The members among `agencies` (already loaded, so no query per group) valid on `day`;
        `self.members` should be prefetched."""
        listed = {a.pk for a in self.members.all()}
        kinds = set(self.kinds or [])
        return [a.pk for a in agencies if (a.kind in kinds or a.pk in listed) and a.is_valid_on(day)]


def named_groups(day: datetime.date, agencies=None) -> list[tuple[str, str, list[int]]]:
    """Every named group as (code, name, member ids valid on `day`): three queries, whatever the number
    of groups (`agencies`, when the caller has them loaded with id, kind and validity, saves one)."""
    if agencies is None:
        agencies = list(Agency.objects.only("id", "kind", "valid_from", "valid_to"))
    groups = AgencyGroup.objects.prefetch_related(models.Prefetch("members", Agency.objects.only("id")))
    return [(g.code, g.name, g.member_ids(agencies, day)) for g in groups]


class PriorityGroup(models.Model):
    """A named group leaders follow: the 2023 focus groups, breakthroughs, focus and task areas."""

    class Kind(models.TextChoices):
        FOCUS_GROUP = "focus_group", _("Nhóm nhiệm vụ trọng tâm")
        BREAKTHROUGH = "breakthrough", _("Đột phá chiến lược")
        FOCUS_AREA = "focus_area", _("Nội dung trọng tâm chỉ đạo điều hành")
        TASK_AREA = "task_area", _("Lĩnh vực nhiệm vụ")

    code = models.CharField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=400)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("thuộc nhóm"), null=True, blank=True, on_delete=models.CASCADE
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nhóm nhiệm vụ")
        verbose_name_plural = _("nhóm nhiệm vụ")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class Directive(EvidenceFileMixin, models.Model):
    """An issued document that assigns work (văn bản chỉ đạo)."""

    class Type(models.TextChoices):
        CHI_THI = "chi_thi", _("Chỉ thị")
        CHUONG_TRINH = "chuong_trinh", _("Chương trình hành động")
        KE_HOACH = "ke_hoach", _("Kế hoạch")
        QUYET_DINH = "quyet_dinh", _("Quyết định")
        CONG_VAN = "cong_van", _("Công văn")
        THONG_BAO = "thong_bao", _("Thông báo kết luận")
        NGHI_QUYET = "nghi_quyet", _("Nghị quyết")

    reference = models.CharField(
        _("mã tham chiếu"),
        max_length=64,
        unique=True,
        help_text=_("Khóa duy nhất dùng khi nạp dữ liệu; bằng số, ký hiệu khi văn bản có số."),
    )
    number = models.CharField(
        _("số, ký hiệu"), max_length=64, blank=True, help_text=_("Đúng như in trên văn bản.")
    )
    type = models.CharField(_("loại văn bản"), max_length=16, choices=Type.choices)
    issue_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200, default="Ủy ban nhân dân tỉnh Cà Mau")
    signer = models.CharField(_("người ký"), max_length=120, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    summary = models.TextField(_("trích yếu"))
    text = models.TextField(_("nội dung"), blank=True)
    file = EvidenceFileField(
        _("tệp đính kèm"), upload_to=UnguessableName("directives/%Y/"), blank=True, kind="directive"
    )
    original_name = models.CharField(_("tên tệp"), max_length=ORIGINAL_NAME_MAX, blank=True, editable=False)
    is_simulated = models.BooleanField(_("dữ liệu mô phỏng"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("văn bản chỉ đạo")
        verbose_name_plural = _("văn bản chỉ đạo")
        ordering = ["-issue_date", "reference"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.number_display}"

    def get_absolute_url(self) -> str:
        return reverse("directive-detail", args=[self.pk])

    @property
    def number_display(self) -> str:
        return self.number or _("(chưa rõ số, ký hiệu)")


class Task(models.Model):
    """One duty a directive assigns. What is counted is each Assignment (task × lead agency)."""

    class DeadlineKind(models.TextChoices):
        DATE = "date", _("Ngày cụ thể")
        PERIOD = "period", _("Theo kỳ")
        RECURRING = "recurring", _("Định kỳ")
        NONE = "none", _("Không thời hạn")

    class Recurrence(models.TextChoices):
        MONTHLY = "monthly", _("Hằng tháng")
        QUARTERLY = "quarterly", _("Hằng quý")
        HALF_YEARLY = "half_yearly", _("6 tháng")
        YEARLY = "yearly", _("Hằng năm")

    directive = models.ForeignKey(
        Directive, verbose_name=_("văn bản"), on_delete=models.PROTECT, related_name="tasks"
    )
    clause = models.CharField(_("mục"), max_length=32, help_text=_("Ví dụ: C.5.2.a hoặc 3.b"))
    item = models.PositiveSmallIntegerField(
        _("ý"), default=0, help_text=_("Số thứ tự gạch đầu dòng trong mục; 0 khi mục không chia ý.")
    )
    text = models.TextField(_("nội dung nhiệm vụ"))
    block_text = models.TextField(_("đoạn giao việc"), blank=True)
    support_text = models.TextField(_("phối hợp (theo văn bản)"), blank=True)
    supporting_agencies = models.ManyToManyField(
        Agency, verbose_name=_("cơ quan phối hợp"), blank=True, related_name="supported_tasks"
    )
    groups = models.ManyToManyField(
        PriorityGroup, verbose_name=_("nhóm nhiệm vụ"), blank=True, related_name="tasks"
    )
    deadline_kind = models.CharField(
        _("loại thời hạn"), max_length=16, choices=DeadlineKind.choices, default=DeadlineKind.NONE
    )
    deadline = models.DateField(
        _("thời hạn"),
        null=True,
        blank=True,
        help_text=_("Thời hạn gốc. Kỳ được quy về ngày cuối kỳ (quý I → 31/03)."),
    )
    deadline_text = models.CharField(_("thời hạn (theo văn bản)"), max_length=200, blank=True)
    recurrence = models.CharField(_("chu kỳ"), max_length=16, choices=Recurrence.choices, blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lãnh đạo phụ trách"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks_in_charge",
    )
    source_line = models.PositiveIntegerField(_("dòng trong văn bản gốc"), null=True, blank=True)
    is_simulated = models.BooleanField(_("dữ liệu mô phỏng"), default=False)
    search_text = models.TextField(editable=False, default="")
    # Optimistic locking: every edit through tracking.services bumps it; a form sent with an older
    # version is refused as a conflict instead of silently overwriting the other user's change.
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["directive", "id"]
        constraints = [
            models.UniqueConstraint(fields=["directive", "clause", "item"], name="task_unique_clause_item"),
        ]

    def __str__(self) -> str:
        return f"{self.clause_display}: {self.text[:80]}"

    def save(self, *args, **kwargs):
        # Only this row's own derived column. The assignments' deadline in force is refreshed by the
        # services that change a deadline (tracking.classification.refresh_deadlines), never here.
        self.search_text = fold(f"{self.clause} {self.text}")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("task-detail", args=[self.pk])

    @property
    def clause_display(self) -> str:
        if self.item:
            return _("%(clause)s, ý %(item)s") % {"clause": self.clause, "item": self.item}
        return self.clause


class Assignment(models.Model):
    """A task given to one lead agency: the unit that is counted, reported and urged (docs/domain.md,
    "What is counted")."""

    class State(models.TextChoices):
        OPEN = "open", _("Đang thực hiện")
        PROPOSED = "proposed", _("Đề nghị hoàn thành")
        DONE = "done", _("Đã hoàn thành")
        PAUSED = "paused", _("Tạm dừng")
        CANCELLED = "cancelled", _("Hủy bỏ")

    task = models.ForeignKey(
        Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="assignments"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan chủ trì"), on_delete=models.PROTECT, related_name="assignments"
    )
    agency_name = models.CharField(
        _("tên cơ quan khi giao"),
        max_length=255,
        help_text=_("Giữ tên cơ quan tại thời điểm giao việc, kể cả khi cơ quan đổi tên, sáp nhập."),
    )
    state = models.CharField(_("trạng thái"), max_length=16, choices=State.choices, default=State.OPEN)
    assigned_on = models.DateField(
        _("ngày giao"),
        null=True,
        blank=True,
        help_text=_("Để trống khi văn bản không ghi ngày: phân công được tính ở mọi thời điểm."),
    )
    # The deadline in force now (the task's, or the latest approved extension's) and the day that
    # extension was decided: kept by tracking.classification.refresh_deadlines so the dashboard reads
    # a column instead of looking up extensions row by row (see tracking.classification).
    deadline = models.DateField(_("thời hạn đang áp dụng"), null=True, blank=True, editable=False)
    extended_on = models.DateField(_("ngày được gia hạn"), null=True, blank=True, editable=False)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    proposed_on = models.DateField(
        _("ngày giao nộp kết quả"),
        null=True,
        blank=True,
        help_text=_("Ngày cơ quan chủ trì giao nộp kết quả khi đề nghị hoàn thành."),
    )
    paused_on = models.DateField(_("ngày tạm dừng"), null=True, blank=True)
    resumed_on = models.DateField(_("ngày tiếp tục"), null=True, blank=True)
    cancelled_on = models.DateField(_("ngày hủy bỏ"), null=True, blank=True)
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    last_report_on = models.DateField(_("báo cáo gần nhất"), null=True, blank=True)
    last_urged_on = models.DateField(_("đôn đốc gần nhất"), null=True, blank=True)
    is_simulated = models.BooleanField(_("dữ liệu mô phỏng"), default=False)
    # Optimistic locking, as Task.version.
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("phân công chủ trì")
        verbose_name_plural = _("phân công chủ trì")
        ordering = ["task_id", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["task", "agency"], name="assignment_unique_task_agency"),
        ]
        indexes = [
            # Dashboard aggregates group by agency over the open/closed dates.
            models.Index(fields=["agency", "completed_on"], name="assignment_agency_done"),
            # The dashboard's lists (due in 7 days, overdue) read the deadline in force in order
            # (tracking.dashboard.first_rows); the reminder scan narrows by it (reminders.planning).
            models.Index(fields=["deadline", "id"], name="assignment_deadline"),
            # The few rows extended after a past as-of date, whose deadline then is looked up
            # (tracking.classification.with_status_parts).
            models.Index(
                fields=["extended_on"], name="assignment_extended_on", condition=Q(extended_on__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.clause_display} – {self.agency_name}"

    # Written only by tracking.classification.refresh_deadlines (called explicitly by every write that
    # moves a deadline: services, loader, simulation), never by a save() of a possibly stale instance.
    DERIVED_FIELDS = ("deadline", "extended_on")

    def save(self, *args, **kwargs):
        if self._state.adding:
            if self.extended_on is None:
                self.deadline = self.task.deadline
        elif kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in self.DERIVED_FIELDS
            ]
        super().save(*args, **kwargs)

    @property
    def awaiting_confirmation(self) -> bool:
        """Proposed as complete and waiting for the office: the pages label such rows."""
        return self.state == self.State.PROPOSED
