from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "liangze.documents"
    label = "documents"
    verbose_name = "公文表格"
