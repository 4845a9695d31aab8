from django.urls import path

from .views import (
    assessment,
    bandwidth,
    board,
    campaigns,
    exports,
    institution,
    questionnaires,
    responses,
)

app_name = "readiness"

urlpatterns = [
    path("", campaigns.index, name="index"),
    path("campaigns/new/", campaigns.campaign_create, name="campaign_create"),
    path("campaigns/<id:pk>/", board.campaign, name="campaign"),
    path("campaigns/<id:pk>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path("campaigns/<id:pk>/close/", campaigns.campaign_close, name="campaign_close"),
    path("campaigns/<id:pk>/remind/", campaigns.campaign_remind, name="campaign_remind"),
    path("campaigns/<id:pk>/recompute/", campaigns.campaign_recompute, name="campaign_recompute"),
    path("campaigns/<id:pk>/readiness.xlsx", exports.campaign_xlsx, name="campaign_xlsx"),
    path("campaigns/<id:pk>/summary.pdf", exports.campaign_pdf, name="campaign_pdf"),
    path("responses/<id:pk>/", responses.response, name="response"),
    path("responses/<id:pk>/reopen-request/", responses.reopen_request, name="reopen_request"),
    path("responses/<id:pk>/reopen/", responses.reopen_decide, name="reopen_decide"),
    path("institutions/<slug:slug>/", institution.institution, name="institution"),
    path("institutions/<slug:slug>/bandwidth/", bandwidth.bandwidth, name="bandwidth"),
    path("bandwidth/download/", bandwidth.download, name="bandwidth_download"),
    path("bandwidth/upload/", bandwidth.upload, name="bandwidth_upload"),
    path("self-assessment/", assessment.self_assessment, name="self_assessment"),
    path("settings/", questionnaires.index_settings, name="settings"),
    path("questionnaires/", questionnaires.questionnaires, name="questionnaires"),
    path("questionnaires/<id:pk>/", questionnaires.questionnaire, name="questionnaire"),
    path("questionnaires/<id:pk>/questions/new/", questionnaires.question_add, name="question_add"),
    path(
        "questionnaires/<id:pk>/questions/<slug:code>/",
        questionnaires.question_edit,
        name="question_edit",
    ),
    path(
        "questionnaires/<id:pk>/questions/<slug:code>/remove/",
        questionnaires.question_remove,
        name="question_remove",
    ),
]
