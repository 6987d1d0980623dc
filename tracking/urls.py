from django.urls import path

from core import inputs  # noqa: F401  (registers the <id:…> path converter)

from . import action_views, files, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("dashboard.json", views.dashboard_json, name="dashboard-json"),
    path("dashboard.csv", views.dashboard_csv, name="dashboard-csv"),
    path("tasks/", views.task_list, name="task-list"),
    path("workspace/", views.workspace, name="workspace"),
    path("review/", views.review, name="review"),
    path("healthz", views.healthz, name="healthz"),
    path("files/<slug:kind>/<id:pk>/", files.download, name="file-download"),
    # Agency work
    path("assignments/<id:pk>/report/", action_views.report_progress, name="report-progress"),
    path("assignments/<id:pk>/propose/", action_views.propose_completion, name="propose-completion"),
    path("assignments/<id:pk>/extension/", action_views.request_extension, name="request-extension"),
    path("tasks/<id:pk>/contribute/", action_views.contribute, name="contribute"),
    # Office work
    path("assignments/<id:pk>/confirm/", action_views.confirm_completion, name="confirm-completion"),
    path("assignments/<id:pk>/return/", action_views.return_completion, name="return-completion"),
    path("extensions/<id:pk>/decide/", action_views.decide_extension, name="decide-extension"),
    path("assignments/<id:pk>/urge/", action_views.urge_assignment, name="urge-assignment"),
    path("agencies/<str:code>/urge/", action_views.urge_agency, name="urge-agency"),
    path("assignments/<id:pk>/reassign/", action_views.reassign, name="reassign"),
    path("tasks/<id:pk>/pause/", action_views.change_task_state, {"change": "pause"}, name="task-pause"),
    path("tasks/<id:pk>/resume/", action_views.change_task_state, {"change": "resume"}, name="task-resume"),
    path("tasks/<id:pk>/cancel/", action_views.change_task_state, {"change": "cancel"}, name="task-cancel"),
    path("directives/new/", action_views.directive_edit, name="directive-create"),
    path("directives/<id:pk>/edit/", action_views.directive_edit, name="directive-edit"),
    path("directives/<id:directive_pk>/tasks/new/", action_views.task_create, name="task-create"),
    path("tasks/<id:pk>/edit/", action_views.task_edit, name="task-edit"),
    # Leaders
    path("tasks/<id:pk>/comment/", action_views.comment, name="comment"),
]
