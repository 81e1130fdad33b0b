from django.urls import path

from liangze.ledger.indicators import views as indicator_views

urlpatterns = [
    path("indicators/", indicator_views.indicators, name="indicators"),
    path("rules/", indicator_views.rules, name="rules"),
    path("rules/<slug:key>/", indicator_views.rule_history, name="rule_history"),
    path("rules/<slug:key>/new/", indicator_views.rule_new, name="rule_new"),
]
