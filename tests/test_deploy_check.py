"""docker-compose.yml's defaults pass Django's deployment checks (issue 14)."""

import os
import re
import subprocess
import sys

import yaml

from .helpers import REPO

# What .env holds, as the README's instructions write it.
DOT_ENV = {
    "SECRET_KEY": "deploy-check-only-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKL",
    "ALLOWED_HOSTS": "tracker.example.gov.uk",
}
VARIABLE = re.compile(r"\$\{(\w+)(?::([-?])([^}]*))?\}")


def compose_environment(service: str = "web") -> dict[str, str]:
    """The service's environment as `docker compose` would set it, with DOT_ENV as .env."""
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    environment = compose["services"][service]["environment"]

    def resolve(match):
        name, kind, default = match.groups()
        if name in DOT_ENV:
            return DOT_ENV[name]
        assert kind == "-", f"{name} has no default and is not in .env"
        return default

    return {name: VARIABLE.sub(resolve, str(value)) for name, value in environment.items()}


def test_the_compose_files_environment_passes_the_deploy_check():
    environment = compose_environment()
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        # Only what compose would set: none of the shell's own settings play a part.
        env={"PATH": os.environ.get("PATH", "")} | environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def production_setting(name: str, **environment) -> str:
    script = f"from django.conf import settings; print(repr(getattr(settings, {name!r}, None)))"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=REPO,
        env={"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "config.settings"}
        | compose_environment()
        | environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip()


def test_x_forwarded_proto_is_believed_only_behind_a_trusted_proxy():
    assert production_setting("SECURE_PROXY_SSL_HEADER") == "None"
    header = production_setting("SECURE_PROXY_SSL_HEADER", TRUSTED_PROXY_COUNT="1")
    assert header == "('HTTP_X_FORWARDED_PROTO', 'https')"
