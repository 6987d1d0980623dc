"""The app's pages (see tracking/views/__init__.py for which module holds which)."""

from django.urls import path

from core import inputs  # noqa: F401  (registers the <id:…> path converter)

from .views import actions, dashboard, directives, work

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("dashboard.json", dashboard.dashboard_json, name="dashboard-json"),
    path("dashboard.csv", dashboard.dashboard_csv, name="dashboard-csv"),
    path("dashboard.xlsx", dashboard.dashboard_xlsx, name="dashboard-xlsx"),
    path("healthz", dashboard.healthz, name="healthz"),
    path("tasks/", work.task_list, name="task-list"),
    path("workspace/", work.workspace, name="workspace"),
    path("review/", work.review, name="review"),
    # Directives and tasks
    path("directives/", directives.directive_list, name="directive-list"),
    path("directives/new/", directives.directive_edit, name="directive-create"),
    path("directives/<id:pk>/", directives.directive_detail, name="directive-detail"),
    path("directives/<id:pk>/edit/", directives.directive_edit, name="directive-edit"),
    path("directives/<id:directive_pk>/tasks/new/", directives.task_create, name="task-create"),
    path("tasks/<id:pk>/", directives.task_detail, name="task-detail"),
    path("tasks/<id:pk>/edit/", directives.task_edit, name="task-edit"),
    # Agency work
    path("assignments/<id:pk>/report/", actions.report_progress, name="report-progress"),
    path("assignments/<id:pk>/propose/", actions.propose_completion, name="propose-completion"),
    path("assignments/<id:pk>/extension/", actions.request_extension, name="request-extension"),
    path("tasks/<id:pk>/contribute/", actions.contribute, name="contribute"),
    # Office work
    path("assignments/<id:pk>/confirm/", actions.confirm_completion, name="confirm-completion"),
    path("assignments/<id:pk>/return/", actions.return_completion, name="return-completion"),
    path("extensions/<id:pk>/decide/", actions.decide_extension, name="decide-extension"),
    path("assignments/<id:pk>/urge/", actions.urge_assignment, name="urge-assignment"),
    path("agencies/<str:code>/urge/", actions.urge_agency, name="urge-agency"),
    path("assignments/<id:pk>/reassign/", actions.reassign, name="reassign"),
    path("tasks/<id:pk>/pause/", actions.change_task_state, {"change": "pause"}, name="task-pause"),
    path("tasks/<id:pk>/resume/", actions.change_task_state, {"change": "resume"}, name="task-resume"),
    path("tasks/<id:pk>/cancel/", actions.change_task_state, {"change": "cancel"}, name="task-cancel"),
    # Leaders
    path("tasks/<id:pk>/comment/", actions.comment, name="comment"),
]
