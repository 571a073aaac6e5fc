from django.apps import AppConfig


class MinutesConfig(AppConfig):
    name = "secretariat.minutes"
    label = "minutes"
    verbose_name = "議事録"
