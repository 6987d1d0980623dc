from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("dashboard.json", views.dashboard_json, name="dashboard-json"),
    path("dashboard.csv", views.dashboard_csv, name="dashboard-csv"),
    path("tasks/", views.task_list, name="task-list"),
    path("healthz", views.healthz, name="healthz"),
]
