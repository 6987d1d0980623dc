from django.urls import path

from . import views

urlpatterns = [
    path("summaries/", views.summary_list, name="summary-list"),
    path("summaries/produce/", views.summary_produce, name="summary-produce"),
    path("summaries/<int:pk>/", views.summary_detail, name="summary-detail"),
    path("summaries/<int:pk>/again/", views.summary_again, name="summary-again"),
    path("summaries/<int:pk>/drill/", views.summary_drill, name="summary-drill"),
    path("summaries/<int:pk>.xlsx", views.summary_xlsx, name="summary-xlsx"),
    path("summaries/<int:pk>.pdf", views.summary_pdf, name="summary-pdf"),
]
