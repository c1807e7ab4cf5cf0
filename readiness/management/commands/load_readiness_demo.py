from django.core.management.base import BaseCommand

from councils.models import User
from inspections.demo import demo_password
from readiness.demo import SIGNATORIES, demo_load_readiness


class Command(BaseCommand):
    help = (
        "Load the demo self-evaluations of Barking and Dagenham (2022) and Isles of Scilly "
        "(2023) after load_demo's councils and inspections; running it again changes nothing."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Demo self-evaluations: {demo_load_readiness()} created")
        self.stdout.write("Demo people named to sign them (passwords as for load_demo's users):")
        for username, first, last, slug, role in SIGNATORIES:
            password = demo_password(username)
            user = User.objects.get(username=username)
            shown = password if user.check_password(password) else "(changed since it was created)"
            self.stdout.write(f"  {username}  {shown}  {first} {last}, {role.label} at {slug}")
