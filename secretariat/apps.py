from django.apps import AppConfig


class SecretariatConfig(AppConfig):
    """The project package as an app: template filters, checks, URL converters and the
    demo loader."""

    name = "secretariat"
    verbose_name = "事務局"

    def ready(self) -> None:
        from secretariat import converters

        # Before any urls.py is read: the URL resolver loads lazily, after the apps.
        converters.register()
