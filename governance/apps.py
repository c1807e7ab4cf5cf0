from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "governance"
    verbose_name = "Intervention and governance"

    def demo_load(self, *, today) -> str:
        """The demo's intervention, board and meetings (load_demo asks each app)."""
        from .demo import demo_load_governance

        return f"Demo intervention, board and meetings: {demo_load_governance(today=today)} created"
