from django.urls import path

from core import inputs  # noqa: F401  (registers the <id:…> path converter)

from . import views

urlpatterns = [
    path("targets/", views.target_list, name="target-list"),
    path("targets/<id:pk>/", views.target_detail, name="target-detail"),
    path("targets/<id:pk>/report/", views.target_report, name="target-report"),
    path("targets/<id:pk>/lock/", views.target_lock, name="target-lock"),
    path("targets/<id:pk>/unlock/", views.target_unlock, name="target-unlock"),
]
