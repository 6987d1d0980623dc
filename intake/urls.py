"""The intake's pages (intake/views.py)."""

from django.urls import path

from core import inputs  # noqa: F401  (registers the <id:…> path converter)

from . import views

urlpatterns = [
    path("intake/", views.intake_home, name="intake-home"),
    path("intake/<id:pk>/", views.review, name="intake-review"),
    path("intake/<id:pk>/progress/", views.progress, name="intake-progress"),
    path("intake/<id:pk>/directive/", views.edit_directive, name="intake-directive"),
    path("intake/<id:pk>/tasks/new/", views.add_task, name="intake-add-task"),
    path("intake/<id:pk>/confirm/", views.confirm, name="intake-confirm"),
    path("intake/<id:pk>/discard/", views.discard, name="intake-discard"),
    path("intake/tasks/<id:pk>/", views.edit_task, name="intake-task"),
    path("intake/tasks/<id:pk>/delete/", views.delete_task, name="intake-delete-task"),
]
