from django.apps import AppConfig


class DemoConfig(AppConfig):
    """`manage.py seed_demo`: the demo course and, in development, demo accounts.

    It sits above every other app because it fills all of them."""

    name = "therapy.demo"
    label = "demo"
    verbose_name = "Demo"
