from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operating the site: encrypted backups and their restore (`manage.py backup`,
    `manage.py restore`) on django-dbbackup. No models; imports none of the other apps."""

    name = "therapy.ops"
    label = "ops"
    verbose_name = "Operations"
