from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "measures"
    verbose_name = "Impact measures"

    def demo_load(self, *, today) -> str:
        """The demo's impact measures and their values (load_demo asks each app)."""
        from .demo import demo_load_measures

        return f"Demo impact measures and values: {demo_load_measures(today=today)} created"
