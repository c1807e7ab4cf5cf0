"""The inspection form: the framework defaults from the start date, and the officer may choose."""

from datetime import date

import pytest

from inspections.models import Framework, Inspection, Milestone

from .factories import InspectionFactory
from .helpers import date_fields, inspection_post, record

pytestmark = pytest.mark.django_db


def create_url(council):
    return f"/councils/{council.slug}/inspections/new/"


def edit_url(inspection):
    return f"/councils/{inspection.council.slug}/inspections/{inspection.pk}/edit/"


def framework_pk(code):
    return str(Framework.objects.get(code=code).pk)


def lancashire_2018(**overrides):
    """Lancashire: fieldwork June to July 2018 under SIF, published August 2018."""
    data = inspection_post(kind="sif")
    data |= date_fields("start_date", ("4", "6", "2018"))
    data |= date_fields("end_date", ("13", "7", "2018"))
    data |= date_fields("published_on", ("1", "8", "2018"))
    return data | overrides


def test_the_form_offers_the_framework_with_its_dates_and_a_default(client, alice, scilly):
    client.force_login(alice)
    html = client.get(create_url(scilly)).content.decode()
    assert "The framework in force on the first day of fieldwork" in html
    assert (
        "Single inspection framework (2013 to 2018): inspections starting 1 November 2013 to "
        "31 December 2018"
    ) in html
    assert "ILACS framework (from April 2026): inspections starting from 1 April 2026" in html
    assert (
        "Leave blank if it is the publication date: deadlines then count from publication" in html
    )


def test_a_sif_inspection_starting_in_june_2018_is_accepted(client, alice, scilly):
    client.force_login(alice)
    response = client.post(create_url(scilly), lancashire_2018())
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.framework.code == "sif"
    assert inspection.framework.areas.filter(key="adoption").exists()


def test_a_sif_inspection_starting_in_2019_is_refused_with_a_clear_message(client, alice, scilly):
    client.force_login(alice)
    response = client.post(
        create_url(scilly),
        lancashire_2018(
            **date_fields("start_date", ("7", "1", "2019")),
            **date_fields("end_date", ("18", "1", "2019")),
            **date_fields("published_on", ("1", "3", "2019")),
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert (
        "A single inspection framework (SIF) inspection cannot start on 7 January 2019: the last "
        "ones started by 31 December 2018." in html
    )
    assert not Inspection.objects.exists()


def test_an_ilacs_inspection_in_2018_defaults_to_ilacs_2018(client, alice, scilly):
    client.force_login(alice)
    post = lancashire_2018(kind="standard_ilacs", framework="")
    assert client.post(create_url(scilly), post).status_code == 302
    assert Inspection.objects.get().framework.code == "ilacs-2018"


def test_choosing_a_framework_the_kind_and_date_do_not_allow_is_refused(client, alice, scilly):
    client.force_login(alice)
    response = client.post(
        create_url(scilly), lancashire_2018(kind="standard_ilacs", framework=framework_pk("sif"))
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "The Single inspection framework (2013 to 2018) was not in force for a standard ILACS "
        "inspection starting on 4 June 2018: select the ILACS framework (2018 to 2022), or the "
        "framework in force on the first day of fieldwork"
    ) in html
    assert '<a href="#id_framework_0">' in html
    assert not Inspection.objects.exists()


def test_choosing_a_framework_for_an_ungraded_visit_is_refused(client, alice, scilly):
    client.force_login(alice)
    response = client.post(
        create_url(scilly),
        inspection_post(kind="focused_visit", framework=framework_pk("ilacs-2023")),
    )
    assert response.status_code == 200
    # The inspection form records graded inspections only: visits have their own page.
    assert "Select a graded inspection: record a monitoring visit, focused visit or JTAI as a " in (
        response.content.decode()
    )
    assert not Inspection.objects.exists()


def test_a_framework_that_does_not_exist_is_refused(client, alice, scilly):
    client.force_login(alice)
    response = client.post(create_url(scilly), inspection_post(framework="99999"))
    assert response.status_code == 200
    assert "Select a framework that applies to this kind of inspection" in (
        response.content.decode()
    )
    assert not Inspection.objects.exists()


def test_the_edit_form_lists_only_the_frameworks_the_kind_and_date_allow(client, alice, scilly):
    inspection = InspectionFactory(
        council=scilly,
        kind="sif",
        start_date=date(2018, 6, 4),
        end_date=date(2018, 7, 13),
        published_on=date(2018, 8, 1),
    )
    assert inspection.framework.code == "sif"
    client.force_login(alice)
    html = client.get(edit_url(inspection)).content.decode()
    assert "Single inspection framework (2013 to 2018)" in html
    assert "ILACS framework (2018 to 2022)" not in html
    assert "ILACS framework (2023 to March 2026)" not in html


def test_moving_the_start_date_lets_the_date_choose_again(
    client, alice, scilly, django_capture_on_commit_callbacks
):
    # The framework field is sent unchanged with its old value: the new date decides.
    inspection = record(
        scilly,
        django_capture_on_commit_callbacks,
        grades=None,
        start_date=date(2022, 11, 7),
        end_date=date(2022, 11, 18),
        published_on=date(2023, 1, 10),
    )
    assert inspection.framework.code == "ilacs-2018"
    client.force_login(alice)
    response = client.post(
        edit_url(inspection),
        inspection_post(framework=framework_pk("ilacs-2018")),
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.framework.code == "ilacs-2023"


def test_the_timeline_says_what_each_step_asks_and_which_date_the_clock_ran_from(
    client, bob, scilly, django_capture_on_commit_callbacks
):
    inspection = record(
        scilly, django_capture_on_commit_callbacks, report_received_on=date(2023, 8, 29)
    )
    publication = Milestone.objects.get(key="report_publication")
    assert publication.title == "Publish the report"
    assert publication.due_on == date(2023, 10, 10)
    assert publication.basis == "30 working days after the report was received on Tue 29 Aug 2023"
    client.force_login(bob)
    html = client.get(inspection.get_absolute_url()).content.decode()
    assert "Publish the report<span" in html
    assert (
        "Send copies to the council&#x27;s relevant partners, at least one local newspaper and "
        "one local radio station; make it available at the council&#x27;s offices and supply "
        "copies on request (SI 2007/462, regulation 2)."
    ) in html
    assert "30 working days after the report was received on Tue 29 Aug 2023" in html


def test_the_written_statement_of_action_cites_section_137(db):
    from inspections.models import DeadlineRule

    rule = DeadlineRule.objects.get(trigger="graded", key="action_plan")
    assert rule.name == (
        "Written statement of action published and sent to Ofsted and the Secretary of State"
    )
    assert "Education and Inspections Act 2006, section 137" in rule.description
    publication = DeadlineRule.objects.get(key="report_publication")
    assert (publication.trigger, publication.amount, publication.unit) == (
        "graded",
        30,
        "working_days",
    )
    assert publication.count_from_received
