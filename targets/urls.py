from django.urls import path

from . import views

urlpatterns = [
    path("targets/", views.target_list, name="target-list"),
    path("targets/<int:pk>/", views.target_detail, name="target-detail"),
    path("targets/<int:pk>/report/", views.target_report, name="target-report"),
    path("targets/<int:pk>/lock/", views.target_lock, name="target-lock"),
    path("targets/<int:pk>/unlock/", views.target_unlock, name="target-unlock"),
]
