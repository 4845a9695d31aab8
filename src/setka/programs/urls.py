from django.urls import path

from .views import agreements, applications, catalogue, manage
from .views.map import network_map_page

app_name = "programs"

urlpatterns = [
    path("", catalogue.catalogue, name="catalogue"),
    path("offers/<id:pk>/", catalogue.offer_page, name="offer"),
    path("offers/<id:pk>/apply/", catalogue.apply, name="apply"),
    path("offers/<id:pk>/edit/", manage.offer_edit, name="offer_edit"),
    path("offers/<id:pk>/status/", manage.offer_status, name="offer_status"),
    path("offers/<id:pk>/group/", manage.offer_group, name="offer_group"),
    path("offers/<id:pk>/applications/", manage.offer_applications, name="offer_applications"),
    path("manage/", manage.manage, name="manage"),
    path("manage/<id:institution_pk>/new/", manage.offer_create, name="offer_create"),
    path("applications/", applications.application_list, name="applications"),
    path("applications/<id:pk>/", applications.application_detail, name="application"),
    path(
        "applications/<id:pk>/confirm/",
        applications.application_confirm,
        name="application_confirm",
    ),
    path(
        "applications/<id:pk>/decide/", applications.application_decide, name="application_decide"
    ),
    path(
        "applications/<id:pk>/withdraw/",
        applications.application_withdraw,
        name="application_withdraw",
    ),
    path("agreements/", agreements.agreement_list, name="agreements"),
    path("agreements/new/", agreements.agreement_create, name="agreement_create"),
    path("agreements/<id:pk>/", agreements.agreement_detail, name="agreement"),
    path("agreements/<id:pk>/edit/", agreements.agreement_edit, name="agreement_edit"),
    path("agreements/<id:pk>/approve/", agreements.agreement_approve, name="agreement_approve"),
    path("agreements/<id:pk>/activate/", agreements.agreement_activate, name="agreement_activate"),
    path("agreements/<id:pk>/end/", agreements.agreement_end, name="agreement_end"),
    path("agreements/<id:pk>/parts/", agreements.part_add, name="part_add"),
    path("agreements/parts/<id:pk>/remove/", agreements.part_remove, name="part_remove"),
    path("agreements/<id:pk>/agreement.pdf", agreements.agreement_document, name="agreement_pdf"),
    path("agreements/<id:pk>/scans/", agreements.scan_upload, name="scan_upload"),
    path("scans/<id:pk>/", agreements.scan_download, name="scan"),
    path("scans/<id:pk>/remove/", agreements.scan_remove, name="scan_remove"),
    path("map/", network_map_page, name="map"),
]
