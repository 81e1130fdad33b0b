from liangze.duties.catalogues import urls as catalogue_urls
from liangze.duties.coverage import urls as coverage_urls
from liangze.duties.lists import urls as list_urls

app_name = "duties"
urlpatterns = [
    *list_urls.urlpatterns,
    *catalogue_urls.urlpatterns,
    *coverage_urls.urlpatterns,
]
