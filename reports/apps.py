from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Dashboards and scrutiny packs"

    def demo_load(self, *, today) -> str:
        """The demo councils' scrutiny pack covers (load_demo asks each app)."""
        from .demo import demo_load_covers

        return f"Demo scrutiny pack covers: {demo_load_covers(today=today)} created"
