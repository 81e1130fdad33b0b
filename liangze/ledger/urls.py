from liangze.ledger.activities import urls as activity_urls
from liangze.ledger.entries import urls as entry_urls
from liangze.ledger.indicators import urls as indicator_urls

app_name = "ledger"
urlpatterns = [
    *entry_urls.urlpatterns,
    *activity_urls.urlpatterns,
    *indicator_urls.urlpatterns,
]
