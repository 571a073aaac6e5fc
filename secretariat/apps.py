from django.apps import AppConfig


class SecretariatConfig(AppConfig):
    """The project package as an app: template filters, checks and the demo loader."""

    name = "secretariat"
    verbose_name = "事務局"
