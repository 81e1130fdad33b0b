from liangze.supervision.inspections import urls as inspection_urls
from liangze.supervision.rectifications import urls as rectification_urls
from liangze.supervision.reminders import urls as reminder_urls

app_name = "supervision"
urlpatterns = [
    *inspection_urls.urlpatterns,
    *rectification_urls.urlpatterns,
    *reminder_urls.urlpatterns,
]
