"""The example files in deploy/: the environment file starts production, cron runs commands
that exist. (nginx.conf and gunicorn@.service are run by scripts/stack.py.)"""

import re
import subprocess
from pathlib import Path

from django.core.management import get_commands

from tests.project.test_settings import started

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SHELL_CHARACTERS = set("$`\"'\\&;()<>| \t")


def environment_file():
    variables = {}
    for line in (DEPLOY / "bekkenbodem.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            variables[name] = value
    return variables


def test_it_writes_the_environment_file_so_that_systemd_and_sh_read_the_same():
    variables = environment_file()
    script = f"set -a; . {DEPLOY / 'bekkenbodem.env.example'}; env"

    shell = subprocess.run(["sh", "-c", script], capture_output=True, text=True, env={})
    seen = dict(line.partition("=")[::2] for line in shell.stdout.splitlines())

    for name, value in variables.items():
        assert not SHELL_CHARACTERS & set(value), name
        assert seen[name] == value


def test_it_starts_production_with_the_example_environment():
    variables = environment_file()

    settings = started(**variables)

    assert settings["DEBUG"] is False
    assert settings["ENGINE"] == "django.db.backends.postgresql"
    assert settings["ALLOWED_HOSTS"] == ["bekkenbodem.example"]
    assert settings["EMAIL_HOST"] == "mail.example.net"


def test_it_runs_only_commands_that_exist_from_cron():
    jobs = [
        line
        for line in (DEPLOY / "cron").read_text().splitlines()
        if line.strip() and not line.startswith("#") and "=" not in line.split()[0]
    ]
    commands = set()
    for job in jobs:
        fields = job.split(maxsplit=6)
        assert fields[5] == "bekkenbodem", job  # /etc/cron.d lines name the user
        commands |= set(re.findall(r"manage\.py (\w+)", fields[6]))

    assert "send_reminders" in commands
    assert commands <= set(get_commands())
