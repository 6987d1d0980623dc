from django.urls import path

from core import inputs  # noqa: F401  (registers the <id:…> path converter)

from . import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<id:pk>/read/", views.notification_read, name="notification-read"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications-read-all"),
    path("reminders/bulletin/", views.bulletin, name="reminder-bulletin"),
]
