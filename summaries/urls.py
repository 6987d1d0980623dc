from django.urls import path

from core import inputs  # noqa: F401  (registers the <id:…> path converter)

from . import views

urlpatterns = [
    path("summaries/", views.summary_list, name="summary-list"),
    path("summaries/produce/", views.summary_produce, name="summary-produce"),
    path("summaries/<id:pk>/", views.summary_detail, name="summary-detail"),
    path("summaries/<id:pk>/again/", views.summary_again, name="summary-again"),
    path("summaries/<id:pk>/drill/", views.summary_drill, name="summary-drill"),
    path("summaries/<id:pk>.xlsx", views.summary_xlsx, name="summary-xlsx"),
    path("summaries/<id:pk>.pdf", views.summary_pdf, name="summary-pdf"),
]
