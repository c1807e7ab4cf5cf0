"""Writes of readiness: self-evaluations, their sign-off, engagement meetings, plan actions.

A signed-off self-evaluation is frozen: every function that changes one locks its row and
refuses, with a message for the page, once both named people have signed it.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from actions.evidence import ALLOWED, display_name, evidence_kind
from actions.models import Action, check_progress
from councils.models import Council, Membership, Role, User
from inspections.models import Framework, Grade
from measures.models import Measure

from .models import (
    QUESTIONS,
    EngagementMeeting,
    EvidenceLink,
    PlanAction,
    SelfAssessedGrade,
    SelfEvaluation,
)

FIRST_YEAR = 2013  # the single inspection framework, the first with these judgements


def frozen_message(self_evaluation: SelfEvaluation) -> str:
    return (
        f"The {self_evaluation.year} self-evaluation was signed off on "
        f"{timezone.localtime(self_evaluation.signed_off_at):%-d %B %Y} and cannot be changed: "
        f"start the {self_evaluation.year + 1} self-evaluation from it instead"
    )


def _lock_draft(self_evaluation: SelfEvaluation) -> SelfEvaluation:
    """The self-evaluation's row, locked for this transaction; refused if it is signed off."""
    locked = SelfEvaluation.objects.select_for_update().get(pk=self_evaluation.pk)
    if locked.is_signed_off:
        raise ValidationError(frozen_message(locked))
    return locked


def framework_for_year(year: int) -> Framework | None:
    """The ILACS framework in force in that year: today's, for this year's self-evaluation."""
    day = min(timezone.localdate(), date(year, 12, 31))
    return Framework.objects.for_start_date(day, Framework.Family.ILACS)


@transaction.atomic
def self_evaluation_start(
    *, council: Council, year: int, copy_from: SelfEvaluation | None = None
) -> SelfEvaluation:
    """Start a year's self-evaluation, empty or as a copy of an earlier one, which is kept."""
    last = timezone.localdate().year + 1  # this year's, or next year's begun early
    if not FIRST_YEAR <= year <= last:
        raise ValidationError({"year": f"Enter a year from {FIRST_YEAR} to {last}"})
    # Lock the council, so that two people starting the same year get one self-evaluation.
    Council.objects.select_for_update().get(pk=council.pk)
    if SelfEvaluation.objects.filter(council=council, year=year).exists():
        raise ValidationError(
            {"year": f"There is already a {year} self-evaluation: open it from the readiness page"}
        )
    if copy_from is not None and copy_from.council_id != council.pk:
        raise ValidationError({"copy_from": "Choose one of this council's self-evaluations"})
    framework = framework_for_year(year)
    if framework is None:
        raise ValidationError({"year": f"No ILACS framework was in force in {year}"})
    new = SelfEvaluation(council=council, year=year, framework=framework, copied_from=copy_from)
    if copy_from is not None:
        for field, _ in QUESTIONS:
            setattr(new, field, getattr(copy_from, field))
        new.director_id = copy_from.director_id
        new.lead_member_id = copy_from.lead_member_id
    new.full_clean()
    new.save()
    if copy_from is not None:
        keys = {area.key: area for area in framework.areas.all()}
        for old in copy_from.grades.select_related("area"):
            # A judgement the new framework no longer has is left out.
            if old.area.key in keys:
                SelfAssessedGrade.objects.create(
                    self_evaluation=new,
                    area=keys[old.area.key],
                    grade=old.grade,
                    rationale=old.rationale,
                )
        for link in copy_from.evidence.all():
            # A file is shared with the earlier year's: neither is ever deleted.
            EvidenceLink.objects.create(
                self_evaluation=new,
                title=link.title,
                url=link.url,
                action_id=link.action_id,
                file=link.file.name,
                file_name=link.file_name,
                content_type=link.content_type,
                size=link.size,
                measure_id=link.measure_id,
                measure_name=link.measure_name,
            )
    return new


def council_members(council: Council, roles=None):
    """People of the council who may be named to sign: its members in these roles."""
    memberships = Membership.objects.filter(council=council)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return User.objects.filter(pk__in=memberships.values("user"), is_active=True).order_by(
        "last_name", "first_name", "username"
    )


# Who may be named to sign: the director of children's services is one of the council's
# officers or admins; the lead member holds the lead member role.
DIRECTOR_ROLES = (Role.OFFICER, Role.ADMIN)
LEAD_MEMBER_ROLES = (Role.LEAD_MEMBER,)


@transaction.atomic
def self_evaluation_update(
    *,
    self_evaluation: SelfEvaluation,
    what_we_know: str,
    how_we_know: str,
    plans: str,
    director: User | None,
    lead_member: User | None,
) -> SelfEvaluation:
    """Change a draft's answers and the people named to sign it; signatures so far lapse."""
    locked = _lock_draft(self_evaluation)
    errors = {}
    if director is not None and not (
        council_members(locked.council, DIRECTOR_ROLES).filter(pk=director.pk).exists()
    ):
        errors["director"] = "Choose one of the council's officers or admins"
    if lead_member is not None and not (
        council_members(locked.council, LEAD_MEMBER_ROLES).filter(pk=lead_member.pk).exists()
    ):
        errors["lead_member"] = "Choose someone with the lead member role at this council"
    if director is not None and lead_member is not None and director.pk == lead_member.pk:
        errors["lead_member"] = (
            "The lead member must be someone other than the director of children's services"
        )
    if errors:
        raise ValidationError(errors)
    locked.what_we_know, locked.how_we_know, locked.plans = what_we_know, how_we_know, plans
    locked.director, locked.lead_member = director, lead_member
    # What was signed is no longer what is written.
    locked.director_signed_at = locked.lead_member_signed_at = None
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def self_evaluation_set_grades(
    *, self_evaluation: SelfEvaluation, grades: dict[str, tuple[str, str]]
) -> SelfEvaluation:
    """Set the self-assessed grade and rationale of each judgement, by judgement key; a key
    with an empty grade removes that judgement's grade. Signatures so far lapse."""
    locked = _lock_draft(self_evaluation)
    areas = {area.key: area for area in locked.framework.areas.all()}
    unknown = sorted(set(grades) - set(areas))
    if unknown:
        raise ValidationError(f"The framework has no judgement {', '.join(unknown)}")
    errors = {}
    for key, (grade, rationale) in grades.items():
        if grade and grade not in Grade.values:
            errors[f"grade_{key}"] = f"Choose a grade for {areas[key].short_name.lower()}"
        if not grade and rationale.strip():
            errors[f"grade_{key}"] = (
                f"Choose a grade for {areas[key].short_name.lower()}, or remove the rationale"
            )
        if grade and not rationale.strip():
            errors[f"rationale_{key}"] = (
                f"Say why {areas[key].short_name.lower()} is graded as it is"
            )
    if errors:
        raise ValidationError(errors)
    for key, (grade, rationale) in grades.items():
        if grade:
            SelfAssessedGrade.objects.update_or_create(
                self_evaluation=locked,
                area=areas[key],
                defaults={"grade": grade, "rationale": rationale.strip()},
            )
        else:
            for old in SelfAssessedGrade.objects.filter(self_evaluation=locked, area=areas[key]):
                old.delete()  # one by one, so that the history records each
    locked.director_signed_at = locked.lead_member_signed_at = None
    locked.save()
    return locked


NO_EVIDENCE = (
    "Upload a file, enter the web address of the evidence, or choose an action or a measure"
)
ONE_EVIDENCE = "Give one piece of evidence at a time: a file, a web address, an action or a measure"


@transaction.atomic
def self_evaluation_add_evidence(
    *,
    self_evaluation: SelfEvaluation,
    title: str,
    url: str = "",
    action: Action | None = None,
    file: UploadedFile | None = None,
    measure: Measure | None = None,
) -> EvidenceLink:
    """Add a piece of evidence: one of the council's actions or impact measures, a document's
    web address, or a file, checked as an action's evidence is; refused whole if not allowed."""
    locked = _lock_draft(self_evaluation)
    if action is not None and action.council_id != locked.council_id:
        raise ValidationError({"action": "Choose one of this council's actions"})
    if measure is not None and measure.council_id != locked.council_id:
        raise ValidationError({"measure": "Choose one of this council's measures"})
    if action is None and not url and file is None and measure is None:
        raise ValidationError(NO_EVIDENCE)
    # A web address with an action was always allowed; a file or a measure stands alone.
    if (file is not None or measure is not None) and (
        sum(x is not None for x in (file, measure, action)) + bool(url) > 1
    ):
        raise ValidationError(ONE_EVIDENCE)
    link = EvidenceLink(self_evaluation=locked, title=title, url=url)
    link.action = action
    if action is not None:
        link.title = title or action.title
    if measure is not None:
        link.measure = measure
        link.measure_name = measure.name
        link.title = title or measure.name
    if file is not None:
        extension, kind = evidence_kind(file)
        link.file_name = display_name(file, extension)
        link.content_type = kind.content_type
        link.size = file.size
        link.title = title or link.file_name
        # Written first, under a random name: a failure after it leaves a file no row points
        # to, never a row without its file.
        link.file.save(link.file_name, file, save=False)
    link.full_clean()
    link.save()
    return link


@dataclass(frozen=True)
class SignOff:
    self_evaluation: SelfEvaluation
    as_role: str  # "director" or "lead member"
    complete: bool


@transaction.atomic
def self_evaluation_sign_off(*, self_evaluation: SelfEvaluation, user: User) -> SignOff:
    """Record the named director's or lead member's sign-off; the second signature freezes it."""
    locked = _lock_draft(self_evaluation)
    if user.pk == locked.director_id:
        field, role = "director_signed_at", "director of children's services"
    elif user.pk == locked.lead_member_id:
        field, role = "lead_member_signed_at", "lead member"
    else:
        raise ValidationError(
            "Only the director of children's services and the lead member named on this "
            "self-evaluation can sign it off"
        )
    if getattr(locked, field):
        raise ValidationError(f"You have already signed this self-evaluation off as {role}")
    missing = incomplete(locked)
    if missing:
        raise ValidationError(missing)
    now = timezone.now()
    setattr(locked, field, now)
    if locked.director_signed_at and locked.lead_member_signed_at:
        locked.signed_off_at = now
    locked.save()
    return SignOff(locked, role, locked.is_signed_off)


def incomplete(self_evaluation: SelfEvaluation) -> list[str]:
    """What a self-evaluation lacks before it can be signed off."""
    missing = [
        f"Answer the question \u201c{question}\u201d"
        for field, question, answer in self_evaluation.answers()
        if not answer.strip()
    ]
    graded = set(self_evaluation.grades.values_list("area_id", flat=True))
    missing += [
        f"Give a self-assessed grade for {area.short_name.lower()}"
        for area in self_evaluation.framework.areas.all()
        if area.pk not in graded
    ]
    missing += [
        f"Say why {grade.area.short_name.lower()} is graded as it is"
        for grade in self_evaluation.grades.select_related("area")
        if not grade.rationale.strip()
    ]
    if not self_evaluation.director_id or not self_evaluation.lead_member_id:
        missing.append("Name the director of children's services and the lead member who sign it")
    return missing


# --- Engagement meetings and plan actions -------------------------------------------------


# Ofsted's letter comes as a PDF or a Word document.
LETTER_KINDS = {key: ALLOWED[key] for key in ("pdf", "docx", "doc")}


@transaction.atomic
def engagement_meeting_save(
    *, meeting: EngagementMeeting, letter_file: UploadedFile | None = None
) -> EngagementMeeting:
    """Save a meeting; with letter_file, keep Ofsted's letter itself, checked as an action's
    evidence is, and refused whole (nothing saved) if it is not a PDF or Word document."""
    errors = {}
    if meeting.letter_on and meeting.held_on and meeting.letter_on < meeting.held_on:
        errors["letter_on"] = "The letter's date must be on or after the meeting"
    if errors:
        raise ValidationError(errors)
    if letter_file is not None:
        extension, kind = evidence_kind(
            letter_file,
            field="letter_file",
            allowed=LETTER_KINDS,
            allowed_words="a PDF or a Word document",
        )
        meeting.letter_file_name = display_name(letter_file, extension)
        meeting.letter_content_type = kind.content_type
        meeting._change_reason = f"Ofsted's letter uploaded: {meeting.letter_file_name}"
        meeting.letter_file.save(meeting.letter_file_name, letter_file, save=False)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def plan_action_add(
    *,
    council: Council,
    title: str,
    owner_name: str,
    due_on: date,
    self_evaluation: SelfEvaluation | None = None,
    meeting: EngagementMeeting | None = None,
) -> PlanAction:
    """Add a tracked action to a draft self-evaluation's plan, or as a meeting's follow-up."""
    if self_evaluation is not None:
        self_evaluation = _lock_draft(self_evaluation)
    for source in (self_evaluation, meeting):
        if source is not None and source.council_id != council.pk:
            raise ValidationError("Choose a self-evaluation or meeting of this council")
    # A plan for the next 12 months falls due in the self-evaluation's year or the next; a
    # follow-up, after the meeting that asked for it.
    if (
        due_on
        and self_evaluation is not None
        and not (
            date(self_evaluation.year, 1, 1) <= due_on <= date(self_evaluation.year + 1, 12, 31)
        )
    ):
        raise ValidationError(
            {
                "due_on": f"A plan of the {self_evaluation.year} self-evaluation falls due in "
                f"{self_evaluation.year} or {self_evaluation.year + 1}"
            }
        )
    if due_on and meeting is not None and due_on < meeting.held_on:
        raise ValidationError(
            {"due_on": f"A follow-up falls due after the meeting, on {meeting.held_on:%-d %B %Y}"}
        )
    action = PlanAction(
        council=council,
        self_evaluation=self_evaluation,
        meeting=meeting,
        title=title,
        owner_name=owner_name,
        due_on=due_on,
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def plan_action_update_progress(
    *, action: PlanAction, status: str, rag: str, progress: str
) -> PlanAction:
    """Record where a plan action has got to: tracked after sign-off, like any action."""
    locked = PlanAction.objects.select_for_update().get(pk=action.pk)
    errors = check_progress(status, rag, None)
    if errors:
        raise ValidationError(errors)
    locked.status, locked.rag, locked.progress = status, rag, progress
    locked.full_clean()
    locked.save()
    return locked
