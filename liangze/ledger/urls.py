from liangze.ledger import activity_urls, entry_urls, indicator_urls, reminder_urls

app_name = "ledger"
urlpatterns = [
    *entry_urls.urlpatterns,
    *activity_urls.urlpatterns,
    *indicator_urls.urlpatterns,
    *reminder_urls.urlpatterns,
]
