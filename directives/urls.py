from django.urls import path

from core import inputs  # noqa: F401  (registers the <id:…> path converter)

from . import views

urlpatterns = [
    path("directives/", views.directive_list, name="directive-list"),
    path("directives/<id:pk>/", views.directive_detail, name="directive-detail"),
    path("tasks/<id:pk>/", views.task_detail, name="task-detail"),
]
