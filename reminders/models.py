"""Reminders (nhắc việc): the office's rules, its calendar, what was decided and what was sent.

Reliability rests on three tables: `Reminder` holds each decided notice once (a unique key), a
`DigestOutbox` row is the one e-mail an agency (or a person) gets for a day, claimed by a sender
before it sends, and `ScanState` is locked by the scan so that two scans never decide at once.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.dates import format_day

MAX_BEFORE_DAYS = 30


def parse_day_list(value: str) -> tuple[int, ...]:
    """'7,3,1' → (7, 3, 1): distinct whole numbers of working days, largest first."""
    days = set()
    for part in (value or "").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= MAX_BEFORE_DAYS:
            raise ValidationError(
                _("“%(part)s” không hợp lệ: mỗi số ngày làm việc phải là số nguyên từ 1 đến %(max)s."),
                params={"part": part, "max": MAX_BEFORE_DAYS},
            )
        days.add(int(part))
    return tuple(sorted(days, reverse=True))


def validate_day_list(value: str) -> None:
    parse_day_list(value)


class ReminderPolicy(models.Model):
    """The office's rules (defaults from the issue). One row; the admin edits it."""

    before_working_days = models.CharField(
        _("nhắc trước hạn (số ngày làm việc)"),
        max_length=60,
        default="7,3,1",
        validators=[validate_day_list],
        help_text=_(
            "Các số ngày làm việc trước hạn, cách nhau bằng dấu phẩy, ví dụ 7,3,1. Để trống: không nhắc."
        ),
    )
    remind_on_due_day = models.BooleanField(_("nhắc vào ngày đến hạn"), default=True)
    overdue_repeat_days = models.PositiveSmallIntegerField(
        _("quá hạn: nhắc lại sau mỗi (ngày)"),
        default=7,
        validators=[MaxValueValidator(366)],
        help_text=_("Sau lần nhắc ngày làm việc đầu tiên sau hạn. 0: không nhắc lại."),
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        _("báo cáo lãnh đạo khi quá hạn trên (ngày)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(3660)],
    )
    no_report_days = models.PositiveSmallIntegerField(
        _("nhiệm vụ không thời hạn: cảnh báo khi không báo cáo (ngày)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(3660)],
    )
    digest_time = models.TimeField(
        _("giờ gửi thư tổng hợp hằng ngày"),
        default=datetime.time(7, 0),
        help_text=_(
            "Nhắc việc phát sinh sau khi thư trong ngày đã gửi sẽ vào thư của ngày làm việc kế tiếp."
        ),
    )
    send_email = models.BooleanField(_("gửi thư điện tử"), default=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("quy tắc nhắc việc")
        verbose_name_plural = _("quy tắc nhắc việc")

    def __str__(self) -> str:
        return str(_("Quy tắc nhắc việc"))

    def save(self, *args, **kwargs):
        self.pk = 1  # one row only
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "ReminderPolicy":
        """The office's row, or the defaults (unsaved) until someone edits them: reading writes nothing."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @property
    def before_days(self) -> tuple[int, ...]:
        return parse_day_list(self.before_working_days)


class OfficeDay(models.Model):
    """A day the office adds to Vietnam's calendar: an extra day off or a make-up working day."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ")
        WORKING_DAY = "working_day", _("Ngày làm việc (làm bù)")

    day = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{format_day(self.day)} – {self.get_kind_display()}"


class ScanState(models.Model):
    """Where the periodic scan got to. One row, locked by each scan so two scans never overlap."""

    last_completed_on = models.DateField(_("ngày quét gần nhất"), null=True, blank=True)
    last_run_at = models.DateTimeField(_("lần quét gần nhất lúc"), null=True, blank=True)
    last_created = models.PositiveIntegerField(_("số nhắc việc tạo ở lần quét gần nhất"), default=0)

    class Meta:
        verbose_name = _("trạng thái quét nhắc việc")
        verbose_name_plural = _("trạng thái quét nhắc việc")

    def __str__(self) -> str:
        return str(_("Trạng thái quét nhắc việc"))


class Reminder(models.Model):
    """One decided notice about one assignment's deadline. Never twice: see the unique key."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Sắp đến hạn")
        DUE = "due", _("Đến hạn")
        OVERDUE = "overdue", _("Quá hạn")
        ESCALATION = "escalation", _("Báo cáo lãnh đạo")
        NO_REPORT = "no_report", _("Lâu không báo cáo")

    assignment = models.ForeignKey(
        "directives.Assignment",
        verbose_name=_("phân công"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    agency = models.ForeignKey(
        "directives.Agency",
        verbose_name=_("cơ quan chủ trì"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    # before: working days before the deadline; overdue: 0 for the first notice, n for the n-th repeat.
    step = models.PositiveSmallIntegerField(_("lần"), default=0)
    due_date = models.DateField(
        _("hạn"),
        help_text=_(
            "Thời hạn đang áp dụng; với nhiệm vụ định kỳ là hạn của kỳ báo cáo; với nhiệm vụ không thời hạn "
            "lâu chưa báo cáo là ngày bắt đầu im lặng (báo cáo gần nhất hoặc ngày giao)."
        ),
    )
    fire_on = models.DateField(_("ngày nhắc theo lịch"))
    days = models.IntegerField(
        _("số ngày"),
        default=0,
        help_text=_("Số ngày làm việc còn lại, hoặc số ngày đã quá hạn, không báo cáo."),
    )
    is_occurrence = models.BooleanField(_("kỳ của nhiệm vụ định kỳ"), default=False)
    created_at = models.DateTimeField(_("tạo lúc"))

    class Meta:
        verbose_name = _("nhắc việc")
        verbose_name_plural = _("nhắc việc")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "kind", "due_date", "step"], name="reminder_unique_key"
            ),
        ]
        indexes = [
            # The bulletin ("what was reminded today") and the agency's recent reminders.
            models.Index(fields=["created_at"], name="reminder_created"),
            models.Index(fields=["agency", "created_at"], name="reminder_agency_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {format_day(self.due_date)}"


class Notification(models.Model):
    """What one person sees under the bell for one reminder."""

    class Level(models.TextChoices):
        LEAD = "lead", _("Chủ trì")
        SUPPORT = "support", _("Phối hợp")
        ESCALATION = "escalation", _("Báo cáo lãnh đạo")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    reminder = models.ForeignKey(
        Reminder, verbose_name=_("nhắc việc"), on_delete=models.CASCADE, related_name="notifications"
    )
    level = models.CharField(_("vai trò"), max_length=16, choices=Level.choices)
    created_at = models.DateTimeField(_("tạo lúc"))
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "reminder"], name="notification_unique_user_reminder"),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_recent"),
            # The bell's unread count on every page.
            models.Index(
                fields=["user"], name="notification_unread", condition=models.Q(read_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.reminder}"


class DigestOutbox(models.Model):
    """The one e-mail of a day for an agency (its users) or for one person (escalations).

    The scan adds lines while the row is neither claimed nor sent; a sender claims it
    (`claimed_at`, `claimed_by`), renews the claim just before the message goes out and sets
    `sent_at` (the time the mail server accepted it) right after. A claim older than
    REMINDER_CLAIM_TIMEOUT seconds is taken over: its sender died. Every send of a row carries the
    same Message-ID (services.message_id), so a resend after a crash is the same message.
    """

    class Outcome(models.TextChoices):
        SENT = "sent", _("Đã gửi")
        NO_RECIPIENTS = "no_recipients", _("Không có địa chỉ thư điện tử")
        NOTHING_LEFT = "nothing_left", _("Không còn việc cần nhắc")
        DISABLED = "disabled", _("Không gửi thư (đã tắt)")

    agency = models.ForeignKey(
        "directives.Agency",
        verbose_name=_("cơ quan nhận"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="digests",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="digests",
    )
    day = models.DateField(_("ngày"))
    send_after = models.DateTimeField(_("gửi từ"))
    claimed_at = models.DateTimeField(_("nhận gửi lúc"), null=True, blank=True)
    claimed_by = models.CharField(_("tiến trình gửi"), max_length=64, blank=True)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    outcome = models.CharField(_("kết quả"), max_length=16, choices=Outcome.choices, blank=True)
    recipients = models.JSONField(_("địa chỉ nhận"), default=list, blank=True)
    skipped = models.JSONField(
        _("người dùng chưa có thư điện tử"), default=list, blank=True, help_text=_("Tên đăng nhập.")
    )
    line_count = models.PositiveIntegerField(_("số dòng đã gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)

    class Meta:
        verbose_name = _("thư tổng hợp")
        verbose_name_plural = _("thư tổng hợp")
        ordering = ["-day", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agency__isnull=False, user__isnull=True)
                | models.Q(agency__isnull=True, user__isnull=False),
                name="digest_one_recipient",
            ),
            models.UniqueConstraint(
                fields=["agency", "day"],
                condition=models.Q(agency__isnull=False),
                name="digest_unique_agency_day",
            ),
            models.UniqueConstraint(
                fields=["user", "day"], condition=models.Q(user__isnull=False), name="digest_unique_user_day"
            ),
        ]
        indexes = [
            # send_due_digests: the unsent rows whose time has come.
            models.Index(
                fields=["send_after"], name="digest_pending", condition=models.Q(sent_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency or self.user} – {format_day(self.day)}"


class DigestLine(models.Model):
    """One reminder in one digest."""

    digest = models.ForeignKey(
        DigestOutbox, verbose_name=_("thư tổng hợp"), on_delete=models.CASCADE, related_name="lines"
    )
    reminder = models.ForeignKey(
        Reminder, verbose_name=_("nhắc việc"), on_delete=models.CASCADE, related_name="digest_lines"
    )
    level = models.CharField(_("vai trò"), max_length=16, choices=Notification.Level.choices)

    class Meta:
        verbose_name = _("dòng thư tổng hợp")
        verbose_name_plural = _("dòng thư tổng hợp")
        constraints = [
            models.UniqueConstraint(fields=["digest", "reminder"], name="digestline_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.digest} – {self.reminder}"
