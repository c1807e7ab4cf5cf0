"""`manage.py load_demo` loads the councils of the seeds with their real history."""

from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from councils.models import Membership, Role, User
from inspections.demo import demo_password
from inspections.models import Inspection

pytestmark = pytest.mark.django_db


def load():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def domain_rows():
    return {
        m._meta.label: sorted(map(str, m.objects.values_list()))
        for m in apps.get_models()
        if m._meta.app_label in {"councils", "inspections", "outcomes", "actions", "governance"}
        and not m.__name__.startswith("Historical")
    }


def test_it_loads_isles_of_scilly_2023_with_its_eight_recommendations():
    load()
    inspection = Inspection.objects.get(
        council__slug="isles-of-scilly", start_date=date(2023, 7, 11)
    )
    assert inspection.published_on == date(2023, 8, 25)
    assert inspection.framework.code == "ilacs-2023"
    assert inspection.recommendations.count() == 8
    grades = {j.area.key: j.grade for j in inspection.judgements.select_related("area")}
    assert grades["overall_effectiveness"] == "inadequate"
    assert grades["children_in_care"] == "requires_improvement"


def test_it_loads_the_2019_short_inspection_with_the_combined_judgement():
    load()
    inspection = Inspection.objects.get(
        council__slug="isles-of-scilly", start_date=date(2019, 10, 14)
    )
    grades = {j.area.key: j.grade for j in inspection.judgements.select_related("area")}
    assert grades == {
        "leaders": "outstanding",
        "help_and_protection": "good",
        "children_in_care_and_care_leavers": "good",
        "overall_effectiveness": "good",
    }


def test_it_loads_nottingham_2022_and_barking_and_dagenham_2019():
    load()
    nottingham = Inspection.objects.get(council__slug="nottingham", kind="standard_ilacs")
    assert nottingham.recommendations.count() == 8
    assert nottingham.published_on == date(2022, 9, 5)
    barking = Inspection.objects.get(council__slug="barking-and-dagenham")
    assert barking.overall_judgement().grade == "requires_improvement"


def test_it_creates_a_user_for_every_role_and_prints_their_passwords():
    output = load()
    roles = set(
        Membership.objects.filter(council__slug="isles-of-scilly").values_list("role", flat=True)
    )
    assert roles == {Role.OFFICER, Role.LEAD_MEMBER, Role.SCRUTINY, Role.ADMIN}
    assert User.objects.get(username="platform-admin").is_superuser
    officer = User.objects.get(username="scilly-officer")
    assert demo_password("scilly-officer") in output
    assert officer.check_password(demo_password("scilly-officer"))


def test_running_it_again_changes_nothing():
    load()
    before = domain_rows()
    output = load()
    assert "Demo inspections: 0 created" in output
    assert domain_rows() == before


def test_a_changed_password_is_kept_and_not_printed():
    load()
    officer = User.objects.get(username="scilly-officer")
    officer.set_password("a new password of her own")
    officer.save()
    output = load()
    assert "(changed since it was created)" in output
    officer.refresh_from_db()
    assert officer.check_password("a new password of her own")


def test_the_scilly_2023_timeline_shows_what_happened_and_the_next_agreed_visit():
    load()
    inspection = Inspection.objects.get(
        council__slug="isles-of-scilly", start_date=date(2023, 7, 11)
    )
    milestones = {m.key: m for m in inspection.milestones.all()}
    assert milestones["action_planning_visit"].due_on == date(2023, 10, 9)
    assert milestones["action_planning_visit"].done_on == date(2023, 10, 9)
    assert milestones["action_plan"].due_on == date(2023, 12, 4)
    # The monitoring visit of 20 to 21 February 2024 fulfilled it.
    first_visit = milestones["first_monitoring_visit"]
    assert first_visit.done_on == date(2024, 2, 20)
    assert first_visit.fulfilled_by.kind == "monitoring_visit"
    assert first_visit.fulfilled_by.cycle == inspection
    assert "Illustrative text for the demo" in first_visit.fulfilled_by.findings
    agreed = inspection.milestones.get(source="agreed")
    assert agreed.done_on is None
    assert agreed.due_on > date.today()


def test_every_past_statutory_milestone_of_the_demo_is_recorded_as_met():
    load()
    from inspections.models import Milestone

    past = Milestone.objects.filter(source="computed", due_on__lte=date.today())
    assert past.count() >= 7
    assert not past.filter(done_on__isnull=True).exists()


def test_isles_of_scilly_sees_its_neighbours_grades_and_every_council_is_listed(client):
    """Issue 13: benchmarks are never empty on a fresh demo."""
    load()
    client.force_login(User.objects.get(username="scilly-lead-member"))
    html = client.get("/councils/isles-of-scilly/dashboard/").content.decode()
    table = html.split("and its statistical neighbours")[1].split("</table>")[0]
    neighbours = [
        row for row in table.split('<tr class="govuk-table__row">')[2:] if "Neighbour " in row
    ]
    assert len(neighbours) == 10
    graded = [row for row in neighbours if "govuk-tag" in row]
    assert len(graded) >= 9
    assert "153 councils" in client.get("/national/").content.decode()
