from django.urls import path

from liangze.ledger import indicator_views

urlpatterns = [
    path("indicators/", indicator_views.indicators, name="indicators"),
]
