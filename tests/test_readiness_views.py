"""The readiness pages: the self-evaluation, its sign-off and its refusal once signed off, the
engagement meeting, plan actions, and how well the council knew itself."""

from datetime import date

import pytest
from django.utils import timezone

from inspections.services import inspection_set_judgements
from readiness import selectors, services
from readiness.models import EngagementMeeting, PlanAction, SelfEvaluation

from .factories import InspectionFactory
from .helpers import SPLIT_GRADES, date_fields, pdf_text, readiness_world

pytestmark = pytest.mark.django_db

BASE = "/councils/isles-of-scilly"


@pytest.fixture
def world(scilly, alice, bob):
    return readiness_world(scilly, director=alice, lead_member=bob)


def sign(client, person):
    client.force_login(person)
    return client.post(f"{BASE}/self-evaluations/2024/sign-off/")


def edit_post(**overrides):
    return {
        "what_we_know": "Rewritten",
        "how_we_know": "Audits",
        "plans": "Plans",
        "director": "",
        "lead_member": "",
    } | overrides


def test_the_readiness_page_shows_the_next_inspection_and_the_self_evaluation(
    client, alice, world, scilly
):
    InspectionFactory(council=scilly)  # 2023, inadequate: monitoring follows
    inspection_set_judgements(inspection=scilly.inspections.get(), grades=SPLIT_GRADES)
    client.force_login(alice)
    html = client.get(f"{BASE}/readiness/").content.decode()
    assert "Monitoring visits until a standard re-inspection" in html
    assert "No self-evaluation has been signed off" in html
    assert "Audit strategy discussions" in html
    assert "1 of 1" in html
    assert "14 May 2024" in html


def test_the_named_lead_member_signs_though_the_role_only_reads(client, alice, bob, world):
    assert sign(client, alice).status_code == 302
    response = sign(client, bob)
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}/self-evaluations/2024/#sign-off"
    page = client.get(f"{BASE}/self-evaluations/2024/").content.decode()
    assert "is signed off and can no longer be changed" in page
    assert SelfEvaluation.objects.get().is_signed_off


def test_an_officer_not_named_may_not_sign(client, dina, world):
    assert sign(client, dina).status_code == 403
    assert SelfEvaluation.objects.get().director_signed_at is None


def test_another_councils_officer_gets_404(client, charlie, world):
    client.force_login(charlie)
    for url in ("", "edit/", "grades/", "self-evaluation.pdf"):
        assert client.get(f"{BASE}/self-evaluations/2024/{url}").status_code == 404
    assert client.post(f"{BASE}/self-evaluations/2024/sign-off/").status_code == 404


def test_a_year_with_no_self_evaluation_is_404(client, alice, world):
    client.force_login(alice)
    assert client.get(f"{BASE}/self-evaluations/2019/").status_code == 404


def test_the_sign_off_form_shows_only_to_the_named_people(client, alice, dina, world):
    client.force_login(dina)
    assert "Sign off the 2024" not in client.get(f"{BASE}/self-evaluations/2024/").content.decode()
    client.force_login(alice)
    assert "Sign off the 2024" in client.get(f"{BASE}/self-evaluations/2024/").content.decode()
    # Once she has signed, the button gives way to a word on the other signature.
    sign(client, alice)
    page = client.get(f"{BASE}/self-evaluations/2024/").content.decode()
    assert "Sign off the 2024" not in page
    assert "You have signed it off. It is signed off in full when the other person" in page


def test_an_edit_of_the_signed_off_version_is_refused_and_changes_nothing(
    client, alice, bob, world
):
    sign(client, alice)
    sign(client, bob)
    client.force_login(alice)
    page = client.get(f"{BASE}/self-evaluations/2024/edit/")
    assert "This self-evaluation cannot be changed" in page.content.decode()
    assert "<textarea" not in page.content.decode()
    before = SelfEvaluation.objects.values_list().get()
    response = client.post(f"{BASE}/self-evaluations/2024/edit/", edit_post())
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "was signed off on" in html and "cannot be changed" in html
    assert SelfEvaluation.objects.values_list().get() == before
    response = client.post(
        f"{BASE}/self-evaluations/2024/actions/new/",
        {"title": "Late", "owner_name": "Me"} | date_fields("due_on", ("1", "2", "2025")),
    )
    assert "cannot be changed" in response.content.decode()
    assert PlanAction.objects.count() == 1


def test_an_edit_of_a_draft_saves_and_the_history_shows_it(client, alice, world):
    client.force_login(alice)
    response = client.post(
        f"{BASE}/self-evaluations/2024/edit/", edit_post(what_we_know="<script>alert(1)</script>")
    )
    assert response.status_code == 302
    html = client.get(f"{BASE}/self-evaluations/2024/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "Change history" in html and "Alice" in html


def test_grades_form_refuses_a_grade_that_does_not_exist(client, alice, world):
    client.force_login(alice)
    response = client.post(f"{BASE}/self-evaluations/2024/grades/", {"grade_leaders": "superb"})
    assert response.status_code == 200
    assert "Choose a grade for impact of leaders" in response.content.decode()


def test_starting_next_year_from_the_signed_off_one(client, alice, bob, world):
    sign(client, alice)
    sign(client, bob)
    client.force_login(alice)
    response = client.post(
        f"{BASE}/self-evaluations/new/",
        {"year": "2025", "copy_from": world["self_evaluation"].pk},
    )
    assert response["Location"] == f"{BASE}/self-evaluations/2025/"
    copy = SelfEvaluation.objects.get(year=2025)
    assert copy.what_we_know == world["self_evaluation"].what_we_know
    response = client.post(f"{BASE}/self-evaluations/new/", {"year": "2025", "copy_from": ""})
    assert "There is already a 2025 self-evaluation" in response.content.decode()


def test_the_pdf_download_holds_the_answers(client, sam, world):
    client.force_login(sam)
    response = client.get(f"{BASE}/self-evaluations/2024/self-evaluation.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Monthly case audits and practice observations." in text


def test_a_meeting_is_recorded_with_its_letter(client, alice, scilly):
    client.force_login(alice)
    data = {
        **date_fields("held_on", ("3", "6", "2024")),
        "attendees": "Regional director",
        "topics": "Care leavers",
        **date_fields("letter_on", ("20", "6", "2024")),
        "letter_summary": "Strengths and areas to develop",
        "letter_url": "https://intranet.example.org/letter.pdf",
        "focus": "Care leavers",
    }
    response = client.post(f"{BASE}/engagement-meetings/new/", data)
    meeting = EngagementMeeting.objects.get()
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.focus == "Care leavers"
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Dated 20 June 2024" in html


def test_a_letter_before_the_meeting_is_refused(client, alice, scilly):
    client.force_login(alice)
    data = {
        **date_fields("held_on", ("3", "6", "2024")),
        "attendees": "Regional director",
        "topics": "Care leavers",
        **date_fields("letter_on", ("2", "6", "2024")),
    }
    response = client.post(f"{BASE}/engagement-meetings/new/", data)
    assert "The letter&#x27;s date must be on or after the meeting" in response.content.decode()
    assert not EngagementMeeting.objects.exists()


def test_a_meetings_follow_up_action_is_tracked_on_the_readiness_page(client, alice, world):
    client.force_login(alice)
    meeting = world["meeting"]
    client.post(
        f"{BASE}/engagement-meetings/{meeting.pk}/actions/new/",
        {"title": "Review care leavers' pathway plans", "owner_name": "Head of service"}
        | date_fields("due_on", ("30", "9", "2024")),
    )
    html = client.get(f"{BASE}/readiness/").content.decode()
    assert "Review care leavers&#x27; pathway plans" in html
    assert "Annual engagement meeting, 14 May 2024" in html


def test_progress_on_a_plan_action(client, alice, world):
    client.force_login(alice)
    action = world["plan_action"]
    response = client.post(
        f"{BASE}/readiness/actions/{action.pk}/progress/",
        {"status": "complete", "rag": "blue", "progress": "All audited", "version": 1},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "complete"


def test_the_progress_form_says_up_front_that_an_overdue_action_is_red(client, alice, world):
    client.force_login(alice)
    html = client.get(f"{BASE}/readiness/actions/{world['plan_action'].pk}/progress/")
    assert "This action was due on 31 March 2025, so it is overdue and Red" in html.text


def test_the_progress_form_refuses_amber_for_an_overdue_action(client, alice, world):
    client.force_login(alice)
    action = world["plan_action"]
    response = client.post(
        f"{BASE}/readiness/actions/{action.pk}/progress/",
        {"status": "in_progress", "rag": "amber", "progress": "Nearly there", "version": 1},
    )
    assert response.status_code == 200
    assert "This action was due on 31 March 2025, so it is overdue and Red" in response.text
    assert "govuk-error-summary" in response.text
    action.refresh_from_db()
    assert (action.status, action.rag, action.progress) == ("not_started", "red", "")


def test_how_well_we_know_ourselves_sets_each_grade_beside_ofsteds(client, bob, alice, world):
    evaluation = world["self_evaluation"]
    services.self_evaluation_sign_off(self_evaluation=evaluation, user=alice)
    services.self_evaluation_sign_off(self_evaluation=evaluation, user=bob)
    # Signed off before the next inspection's fieldwork began.
    SelfEvaluation.objects.update(
        signed_off_at=timezone.make_aware(timezone.datetime(2024, 5, 1, 12))
    )
    inspection = InspectionFactory(
        council=evaluation.council,
        start_date=date(2024, 7, 8),
        end_date=date(2024, 7, 19),
        published_on=date(2024, 8, 30),
    )
    inspection_set_judgements(inspection=inspection, grades=SPLIT_GRADES)
    knowledge = selectors.self_knowledge(evaluation.council)
    leaders = knowledge.for_area("leaders")[0]
    assert (leaders.own, leaders.ofsted, leaders.agreement) == (
        "requires_improvement",
        "inadequate",
        "Higher than Ofsted",
    )
    care = knowledge.for_area("children_in_care")[0]
    assert care.agreement == "Same as Ofsted"
    client.force_login(bob)
    html = client.get(f"{BASE}/readiness/how-well-we-know-ourselves/").content.decode()
    assert html.count("<svg") == 5
    assert "Impact of leaders: self-assessed grade against Ofsted" in html
    assert "Higher than Ofsted" in html


def test_a_self_evaluation_signed_after_fieldwork_began_is_not_compared(alice, bob, world):
    evaluation = world["self_evaluation"]
    services.self_evaluation_sign_off(self_evaluation=evaluation, user=alice)
    services.self_evaluation_sign_off(self_evaluation=evaluation, user=bob)
    inspection = InspectionFactory(
        council=evaluation.council,
        start_date=date(2024, 7, 8),
        end_date=date(2024, 7, 19),
        published_on=date(2024, 8, 30),
    )
    inspection_set_judgements(inspection=inspection, grades=SPLIT_GRADES)
    # Signed today, long after the 2024 fieldwork.
    rows = selectors.self_knowledge(evaluation.council).comparisons
    assert rows and all(r.self_evaluation is None and r.own == "" for r in rows)
    assert {r.agreement for r in rows} == {"Not self-assessed"}


def test_progress_someone_else_saved_first_is_refused_showing_both(client, alice, world):
    action = world["plan_action"]
    services.plan_action_update_progress(
        action=action, expected_version=1, status="in_progress", rag="red", progress="Theirs"
    )
    client.force_login(alice)
    url = f"{BASE}/readiness/actions/{action.pk}/progress/"
    mine = {"status": "complete", "rag": "blue", "progress": "Mine", "version": 1}
    response = client.post(url, mine)
    assert response.status_code == 409
    assert "Theirs" in response.text and "Mine" in response.text
    assert "In progress" in response.text
    action.refresh_from_db()
    assert (action.status, action.progress) == ("in_progress", "Theirs")
    assert client.post(url, mine | {"version": action.version}).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.progress) == ("complete", "Mine")


def test_a_copy_under_another_framework_says_which_grades_it_left_out(client, alice, scilly):
    old = services.self_evaluation_start(council=scilly, year=2022)  # ILACS 2018
    services.self_evaluation_set_grades(
        self_evaluation=old,
        grades={
            "leaders": ("good", "Stable leadership"),
            "children_in_care_and_care_leavers": ("good", "Settled placements"),
            "overall_effectiveness": ("good", "Good overall"),
        },
    )
    client.force_login(alice)
    response = client.post(
        f"{BASE}/self-evaluations/new/", {"year": "2023", "copy_from": old.pk}, follow=True
    )
    page = response.content.decode()
    assert "The 2023 self-evaluation has been started" in page
    name = old.framework.areas.get(key="children_in_care_and_care_leavers").name
    assert (
        f"The 2022 self-evaluation&#x27;s grade for {name} was not copied: "
        f"{SelfEvaluation.objects.get(year=2023).framework.name}, the framework for 2023, "
        "has no such judgement"
    ) in page
    # A copy under the same framework says nothing of the kind.
    response = client.post(
        f"{BASE}/self-evaluations/new/", {"year": "2021", "copy_from": old.pk}, follow=True
    )
    assert "was not copied" not in response.content.decode()


def test_starting_from_a_self_evaluations_page_offers_that_one_and_the_year_after(
    client, alice, scilly
):
    old = services.self_evaluation_start(council=scilly, year=2022)
    newest = services.self_evaluation_start(council=scilly, year=2024)
    client.force_login(alice)
    form = client.get(f"{BASE}/self-evaluations/new/", {"copy_from": old.pk}).content.decode()
    assert f'<option value="{old.pk}" selected>' in form
    assert 'name="year" value="2023"' in form
    assert "that the year&#x27;s Ofsted framework does not have is left out" in form
    # Nonsense is ignored: the form offers the latest, for this year, as with nothing asked.
    this_year = timezone.localdate().year
    for asked in ("x", "99999999999999999999999", "\u00b2", "-1", str(old.pk + 1000)):
        page = client.get(f"{BASE}/self-evaluations/new/", {"copy_from": asked})
        assert page.status_code == 200
        html = page.content.decode()
        assert f'<option value="{newest.pk}" selected>' in html
        assert f'name="year" value="{this_year}"' in html
