from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "community.jobs"
    label = "jobs"
    verbose_name = "Background work"
