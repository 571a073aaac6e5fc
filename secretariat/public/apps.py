from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "secretariat.public"
    label = "public"
    verbose_name = "公開サイト"
