import io

from django.apps import AppConfig
from django.core.management import call_command


class ReadinessConfig(AppConfig):
    name = "readiness"
    verbose_name = "Readiness between inspections"

    def demo_load(self, *, today) -> str:
        """The demo's self-evaluations and the people named to sign them (load_demo asks each
        app after its own)."""
        out = io.StringIO()
        call_command("load_readiness_demo", stdout=out)
        return out.getvalue().rstrip("\n")
