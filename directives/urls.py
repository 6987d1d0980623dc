from django.urls import path

from . import views

urlpatterns = [
    path("directives/", views.directive_list, name="directive-list"),
    path("directives/<int:pk>/", views.directive_detail, name="directive-detail"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
]
