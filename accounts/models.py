from axes.models import AccessAttempt
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in. The role decides what they may do (tracking.permissions)."""

    class Role(models.TextChoices):
        OFFICE = "office", _("Chuyên viên Văn phòng UBND tỉnh")
        AGENCY = "agency", _("Cán bộ cơ quan, đơn vị")
        LEADER = "leader", _("Lãnh đạo UBND tỉnh")
        ADMIN = "admin", _("Quản trị hệ thống")

    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices, default=Role.AGENCY)
    agency = models.ForeignKey(
        "directives.Agency",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("Bắt buộc với cán bộ cơ quan, đơn vị."),
    )
    display_name = models.CharField(_("họ và tên"), max_length=120, blank=True)
    position = models.CharField(_("chức vụ"), max_length=160, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        if self.display_name and self.position:
            return f"{self.display_name} ({self.position})"
        return self.display_name or self.position or self.username

    @property
    def is_office(self) -> bool:
        return self.role in (self.Role.OFFICE, self.Role.ADMIN)

    @property
    def is_leader(self) -> bool:
        return self.role == self.Role.LEADER

    @property
    def is_agency_user(self) -> bool:
        return self.role == self.Role.AGENCY and self.agency_id is not None


class FailedSignIn(AccessAttempt):
    """django-axes' record of failed sign-ins for one username from one address, shown to the office's
    administrator in Vietnamese; deleting it unlocks that username at that address (accounts/admin.py)."""

    class Meta:
        proxy = True
        verbose_name = _("lần đăng nhập sai")
        verbose_name_plural = _("đăng nhập sai, tạm khóa")
