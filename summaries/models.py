"""A produced summary (báo cáo tháng, quý, 6 tháng, 9 tháng, năm): frozen at its data cut-off."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.dates import format_day

from .periods import Kind, Period, period_containing


class Summary(models.Model):
    """Everything a summary shows — figures, lists, change from the previous period, the charts' data —
    is stored in `data`, and the assignment ids behind every number in `drill`, when it is produced;
    neither is written again, so later edits of tasks never move a report already given. Producing it again writes a new
    version and keeps the earlier one (no longer current, still readable)."""

    Kind = Kind

    kind = models.CharField(_("loại báo cáo"), max_length=16, choices=Kind.choices)
    period_start = models.DateField(_("từ ngày"))
    cut_off = models.DateField(_("ngày chốt số liệu"))
    version = models.PositiveSmallIntegerField(_("lần lập"), default=1)
    # The period's name and whether the cut-off ends it, as they were when it was produced (they
    # depend on SUMMARY_CUTOFF_DAY, which may change later).
    label = models.CharField(_("kỳ báo cáo"), max_length=80, default="")
    complete = models.BooleanField(_("trọn kỳ"), default=True)
    produced_at = models.DateTimeField(_("lập lúc"))
    produced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Để trống khi tác vụ nền tự lập theo lịch."),
    )
    is_current = models.BooleanField(_("bản hiện hành"), default=True)
    superseded_at = models.DateTimeField(_("được thay thế lúc"), null=True, blank=True)
    data = models.JSONField(_("số liệu"), default=dict, editable=False)
    # The assignment ids behind every number, kept apart from `data`: most of the bytes, read only by
    # the drill-down, so the page and the exports do not load them.
    drill = models.JSONField(_("phân công sau mỗi số liệu"), default=dict, editable=False)

    class Meta:
        verbose_name = _("báo cáo định kỳ")
        verbose_name_plural = _("báo cáo định kỳ")
        ordering = ["-cut_off", "kind", "-version"]
        constraints = [
            # Two beats, or the beat and the office at once: the second insert fails, nothing doubles.
            models.UniqueConstraint(fields=["kind", "cut_off", "version"], name="summary_unique_version"),
            models.UniqueConstraint(
                fields=["kind", "cut_off"], condition=Q(is_current=True), name="summary_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} – {format_day(self.cut_off)} (lần {self.version})"

    def get_absolute_url(self) -> str:
        return reverse("summary-detail", args=[self.pk])

    @property
    def period(self) -> Period:
        return period_containing(self.kind, self.cut_off)

    @property
    def is_automatic(self) -> bool:
        return self.produced_by_id is None
