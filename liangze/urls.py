from django.urls import include, path

from liangze.api.urls import api

urlpatterns = [
    path("", include("liangze.portal.urls")),
    path("accounts/", include("liangze.accounts.urls")),
    path("orgs/", include("liangze.orgs.urls")),
    path("duties/", include("liangze.duties.urls")),
    path("ledger/", include("liangze.ledger.urls")),
    path("notices/", include("liangze.notices.urls")),
    path("supervision/", include("liangze.supervision.urls")),
    path("dashboard/", include("liangze.dashboard.urls")),
    path("api/v1/", api.urls),
]

handler500 = "liangze.core.busy.server_error"
handler400 = "liangze.core.limits.bad_request"
handler403 = "liangze.core.limits.forbidden"
handler404 = "liangze.core.limits.not_found"
