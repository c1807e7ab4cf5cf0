from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from actions.demo import demo_load_actions, demo_load_previous_plan
from actions.services import actions_mark_overdue_red
from inspections.demo import demo_load, demo_load_milestones


class Command(BaseCommand):
    help = (
        "Load every council, their published outcomes and the demo inspections and users; "
        "running it again changes nothing."
    )

    def handle(self, *args, **options):
        call_command("load_councils", stdout=self.stdout)
        # Every council's published grades, so that benchmarks are never empty (issue 13).
        call_command("load_outcomes", stdout=self.stdout)
        result = demo_load()
        self.stdout.write(f"Demo inspections: {result.inspections_created} created")
        milestones = demo_load_milestones(today=timezone.localdate())
        self.stdout.write(f"Demo milestones: {milestones} recorded")
        self.stdout.write(f"Demo improvement actions: {demo_load_actions()} created")
        self.stdout.write(f"Demo actions of an earlier plan: {demo_load_previous_plan()} created")
        # Apps after this one add their own demo data through their AppConfig.demo_load, so that
        # this command imports none of them.
        for config in apps.get_app_configs():
            if hasattr(config, "demo_load"):
                self.stdout.write(config.demo_load(today=timezone.localdate()))
        # As the daily task does: a demo action past its due date is Red, as the glossary says.
        self.stdout.write(f"Demo actions overdue, so rated Red: {actions_mark_overdue_red()}")
        self.stdout.write("\nDemo users (passwords are particular to this installation):")
        width = max(len(username) for username, _, _ in result.users)
        for username, password, roles in result.users:
            self.stdout.write(f"  {username:<{width}}  {password}  {roles}")
