from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "measures"
    verbose_name = "Impact measures"

    def demo_load(self, *, today) -> str:
        """The demo's illustrative comparators, then its impact measures and their values,
        mapped to them (load_demo asks each app)."""
        from .demo import demo_load_measures
        from .demo_comparators import load_demo_comparators

        comparators = load_demo_comparators()
        created = demo_load_measures(today=today)
        return f"{comparators}\nDemo impact measures and values: {created} created"
