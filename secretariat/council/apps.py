from django.apps import AppConfig


class CouncilConfig(AppConfig):
    name = "secretariat.council"
    label = "council"
    verbose_name = "会議体・構成員"
