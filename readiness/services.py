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
from actions.models import Action, Rag, check_overdue_rag, check_progress
from actions.services import rate_each_claimed
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
            # A judgement the new framework does not have is left out (grades_left_out).
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


def grades_left_out(copy_from: SelfEvaluation, framework: Framework) -> list[str]:
    """The judgements graded in copy_from that the framework has not, by name: a copy under
    that framework leaves their grades out, and the officer is told which."""
    keys = set(framework.areas.values_list("key", flat=True))
    grades = copy_from.grades.select_related("area").order_by("area__position")
    return [grade.area.name for grade in grades if grade.area.key not in keys]


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
def self_evaluation_remove_evidence(*, self_evaluation: SelfEvaluation, link: EvidenceLink) -> None:
    """Take a piece of evidence off a draft self-evaluation; the history keeps it. A file stays
    stored: a later year's copy of the self-evaluation may link it too."""
    locked = _lock_draft(self_evaluation)
    if link.self_evaluation_id != locked.pk:
        raise ValidationError("Choose evidence of this self-evaluation")
    link._change_reason = "Removed"
    link.delete()


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


# What a meeting's record holds: the fields of its form, to create or change it.
MEETING_FIELDS = (
    "held_on",
    "attendees",
    "topics",
    "letter_on",
    "letter_summary",
    "letter_url",
    "focus",
)
# Ofsted's letter comes as a PDF or a Word document.
LETTER_KINDS = {key: ALLOWED[key] for key in ("pdf", "docx", "doc")}


def _check_meeting(meeting: EngagementMeeting) -> None:
    if meeting.letter_on and meeting.held_on and meeting.letter_on < meeting.held_on:
        raise ValidationError({"letter_on": "The letter's date must be on or after the meeting"})


@transaction.atomic
def engagement_meeting_save(
    *, meeting: EngagementMeeting, letter_file: UploadedFile | None = None
) -> EngagementMeeting:
    """Save a meeting; with letter_file, keep Ofsted's letter itself, checked as an action's
    evidence is, and refused whole (nothing saved) if it is not a PDF or Word document."""
    _check_meeting(meeting)
    if letter_file is not None:
        _attach_letter(meeting, letter_file)
    meeting.full_clean()
    meeting.save()
    return meeting


def _attach_letter(meeting: EngagementMeeting, letter_file: UploadedFile) -> None:
    """Keep Ofsted's letter with the meeting, checked as an action's evidence is: a
    ValidationError on letter_file if it is not a PDF or a Word document."""
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


@transaction.atomic
def engagement_meeting_update(
    *,
    meeting: EngagementMeeting,
    expected_version: int,
    changes: dict,
    letter_file: UploadedFile | None = None,
) -> EngagementMeeting:
    """Change a meeting's record if nobody else has saved it since expected_version; with
    letter_file, keep Ofsted's letter, replacing any kept before."""
    unknown = set(changes) - set(MEETING_FIELDS)
    if unknown:
        raise ValueError(f"Fields that an edit may not change: {sorted(unknown)}")
    _claim(meeting, expected_version)
    for field, value in changes.items():
        setattr(meeting, field, value)
    _check_meeting(meeting)
    # Its follow-ups fall due after it (plan_action_add): it cannot move past one of them.
    early = meeting.actions.filter(due_on__lt=meeting.held_on).order_by("due_on").first()
    if early is not None:
        raise ValidationError(
            {
                "held_on": f"The follow-up \u201c{early.title}\u201d falls due on "
                f"{early.due_on:%-d %B %Y}: the meeting must be on or before it"
            }
        )
    meeting._change_reason = "Edited"
    if letter_file is not None:
        _attach_letter(meeting, letter_file)
    meeting.full_clean()
    meeting.save()
    return meeting


class Conflict(Exception):
    """Someone else saved the row after the version this edit started from; ``current`` is
    the row as they left it."""

    def __init__(self, current):
        self.current = current
        super().__init__(f"{current._meta.verbose_name} {current.pk} was changed meanwhile")


def _claim(obj, expected_version: int) -> None:
    """Claim the version an edit started from, as actions/services.py does: a conditional
    UPDATE that touches no row when someone else saved first. It also locks the row, so of two
    concurrent saves from one version exactly one wins."""
    model = type(obj)
    if not model.objects.filter(pk=obj.pk, version=expected_version).update(
        version=expected_version + 1
    ):
        current = model.objects.filter(pk=obj.pk).first()
        if current is None:
            raise ValidationError(
                f"\u201c{obj}\u201d was removed after you opened it, so it cannot be changed"
            )
        raise Conflict(current)
    obj.refresh_from_db()


def _check_due_on(
    due_on: date | None,
    *,
    self_evaluation: SelfEvaluation | None,
    meeting: EngagementMeeting | None,
    revised: bool = False,
) -> None:
    """A plan for the next 12 months falls due in the self-evaluation's year or the next; a
    follow-up, after the meeting that asked for it. A due date revised with its reason may go
    later than that (an old plan's overdue action gets a new date), never before the year."""
    if due_on and self_evaluation is not None:
        year = self_evaluation.year
        if due_on < date(year, 1, 1):
            raise ValidationError(
                {"due_on": f"Actions in the {year} plan cannot be due before {year}"}
            )
        if not revised and due_on > date(year + 1, 12, 31):
            raise ValidationError(
                {"due_on": f"Actions in the {year} plan must be due in {year} or {year + 1}"}
            )
    if due_on and meeting is not None and due_on < meeting.held_on:
        raise ValidationError(
            {"due_on": f"A follow-up falls due after the meeting, on {meeting.held_on:%-d %B %Y}"}
        )


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
    _check_due_on(due_on, self_evaluation=self_evaluation, meeting=meeting)
    action = PlanAction(
        council=council,
        self_evaluation=self_evaluation,
        meeting=meeting,
        title=title,
        owner_name=owner_name,
        due_on=due_on,
    )
    _save_plan_action(action, "Added")
    return action


def _save_plan_action(action: PlanAction, reason: str) -> None:
    # An open action past its due date is Red (the glossary, as actions/services.py): one
    # added or moved into the past is saved Red rather than keep a colour it cannot have.
    action.full_clean()
    if action.is_overdue() and action.rag != Rag.RED:
        action.rag = Rag.RED
        reason = f"{reason}; overdue since {action.due_on:%-d %B %Y}, so Red"
    action._change_reason = reason
    action.save()


@transaction.atomic
def plan_action_update_progress(
    *, action: PlanAction, expected_version: int, status: str, rag: str, progress: str
) -> PlanAction:
    """Record where a plan action has got to, if nobody else has saved it since
    expected_version: tracked after sign-off, like any action."""
    # Checked against the version the person saw: a due date changed since is a conflict.
    errors = check_progress(status, rag, None) or check_overdue_rag(
        status, rag, action.due_on, timezone.localdate()
    )
    if errors:
        raise ValidationError(errors)
    _claim(action, expected_version)
    action.status, action.rag, action.progress = status, rag, progress
    _save_plan_action(action, "Progress update")
    return action


@transaction.atomic
def plan_action_update(
    *,
    action: PlanAction,
    expected_version: int,
    title: str,
    owner_name: str,
    due_on: date,
    reason: str = "",
) -> PlanAction:
    """Change a plan action's title, owner and due date, if nobody else has saved it since
    expected_version. A due date that moves needs its reason, kept in the history (the
    glossary's way out of Red); one moved into the past makes an open action Red."""
    reason = reason.strip()
    errors = {}
    try:
        _check_due_on(
            due_on,
            self_evaluation=action.self_evaluation,
            meeting=action.meeting,
            revised=due_on != action.due_on,
        )
    except ValidationError as exc:
        errors = exc.message_dict
    if due_on != action.due_on and not reason:
        errors["reason"] = ["Say why the due date is changing"]
    if errors:
        raise ValidationError(errors)
    _claim(action, expected_version)
    action.title, action.owner_name, action.due_on = title, owner_name, due_on
    _save_plan_action(action, reason or "Edited")
    return action


@transaction.atomic
def plan_action_remove(*, action: PlanAction, expected_version: int, reason: str) -> None:
    """Remove a plan action added by mistake or no longer wanted; the history keeps it, with
    who removed it, when and why."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the action is removed"})
    _claim(action, expected_version)
    action._change_reason = reason
    action.delete()


def plan_actions_mark_overdue_red(*, today: date | None = None) -> int:
    """Rate Red every open plan action past its due date that is not Red yet, as
    actions_mark_overdue_red does an inspection plan's; return how many. Each is its own
    claim, so an officer saving the action meanwhile keeps their change."""
    today = today or timezone.localdate()

    def rate(action: PlanAction) -> None:
        action.rag = Rag.RED
        action._change_reason = f"Overdue since {action.due_on:%-d %B %Y}, so Red"
        action.save()

    return rate_each_claimed(PlanAction.objects.overdue(today).exclude(rag=Rag.RED), rate)
