from django.apps import AppConfig


class SecretariatConfig(AppConfig):
    """The project package as an app: template filters, checks, URL converters and the
    demo loader."""

    name = "secretariat"
    verbose_name = "事務局"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from secretariat.middleware import start_staff_session

        user_logged_in.connect(start_staff_session, dispatch_uid="start_staff_session")

        from secretariat import converters

        # Before any urls.py is read: the URL resolver loads lazily, after the apps.
        converters.register()
