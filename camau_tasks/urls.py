from django.contrib import admin
from django.urls import include, path

from core import files, inputs  # noqa: F401  (inputs registers the <id:…> path converter)

admin.site.site_header = "Quản trị hệ thống theo dõi nhiệm vụ – UBND tỉnh Cà Mau"
admin.site.site_title = "Quản trị hệ thống"
admin.site.index_title = "Quản trị"

urlpatterns = [
    path("", include("tracking.urls")),
    path("", include("targets.urls")),
    path("", include("reminders.urls")),
    path("", include("summaries.urls")),
    path("", include("intake.urls")),
    path("", include("accounts.urls")),
    path("files/<slug:kind>/<id:pk>/", files.download, name="file-download"),
    path("admin/", admin.site.urls),
]
# No /media/ route, in DEBUG or not: uploaded files go out through core.files.download only.
