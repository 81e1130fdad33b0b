from django.urls import path

from liangze.ledger.indicators import views as indicator_views

urlpatterns = [
    path("indicators/", indicator_views.indicators, name="indicators"),
]
