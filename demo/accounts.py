"""Demo accounts for a laptop. Never created when DEBUG is off."""

from django.conf import settings
from django.db import transaction

from accounts.models import User
from directives.models import Agency

DEMO_PASSWORD = "camau2023"

# username, role, agency code, display name, position
DEMO_USERS = [
    ("vanphong", User.Role.OFFICE, "VPUBND", "Chuyên viên theo dõi", "Chuyên viên Văn phòng UBND tỉnh"),
    ("lanhdao", User.Role.LEADER, None, "Lãnh đạo UBND tỉnh", "Chủ tịch UBND tỉnh"),
    ("sokhdt", User.Role.AGENCY, "SKHDT", "Cán bộ đầu mối", "Sở Kế hoạch và Đầu tư"),
    ("sotaichinh", User.Role.AGENCY, "STC", "Cán bộ đầu mối", "Sở Tài chính"),
    ("admin", User.Role.ADMIN, None, "Quản trị hệ thống", "Quản trị hệ thống"),
]


class DemoUsersRefused(Exception):
    pass


@transaction.atomic
def ensure_demo_users() -> list[str]:
    """Create the demo accounts that do not exist yet. Returns the usernames created."""
    if not settings.DEBUG:
        raise DemoUsersRefused("DEBUG is off")
    created = []
    for username, role, agency_code, name, position in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        user = User(
            username=username,
            role=role,
            agency=Agency.objects.get(code=agency_code) if agency_code else None,
            display_name=name,
            position=position,
            is_staff=role == User.Role.ADMIN,
            is_superuser=role == User.Role.ADMIN,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        created.append(username)
    return created
