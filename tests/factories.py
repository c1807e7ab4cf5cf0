"""factory_boy factories for domain objects; frameworks come from the seeded migration."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from councils.models import Council, Membership, Role, User
from inspections.models import Inspection, InspectionKind, Recommendation


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Council {n}")
    slug = factory.LazyAttribute(lambda c: c.name.lower().replace(" ", "-"))
    dfe_code = factory.Sequence(lambda n: f"{900 + n % 99:03d}")
    ons_code = factory.Sequence(lambda n: f"E0600{n:04d}")
    region = "South West"
    la_type = "Unitary Authority"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyAttribute(lambda u: u.username.capitalize())
    password = factory.django.Password("correct horse battery staple")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    council = factory.SubFactory(CouncilFactory)
    role = Role.OFFICER


class InspectionFactory(factory.django.DjangoModelFactory):
    """A saved inspection; the framework follows from the start date as in the service."""

    class Meta:
        model = Inspection

    council = factory.SubFactory(CouncilFactory)
    kind = InspectionKind.STANDARD_ILACS
    start_date = date(2023, 7, 11)
    end_date = date(2023, 7, 13)
    published_on = date(2023, 8, 25)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        inspection = model_class(*args, **kwargs)
        inspection.full_clean()
        inspection.save()
        return inspection


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    inspection = factory.SubFactory(InspectionFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"The quality of practice, area {n}.")


# Improvement actions (issue 4).


class ActionFactory(factory.django.DjangoModelFactory):
    """A saved action of a recommendation; the council follows from the recommendation."""

    class Meta:
        model = "actions.Action"

    recommendation = factory.SubFactory(RecommendationFactory)
    council = factory.LazyAttribute(lambda a: a.recommendation.inspection.council)
    title = factory.Sequence(lambda n: f"Audit strategy discussions, round {n}")
    description = "Monthly audits of a sample of strategy discussions."
    owner_name = "Morwenna Tregarthen"
    lead = "Director of Children's Services"
    # Due ahead of whatever today is (time-machine included), so a new action is not already
    # overdue, and so Red; a test about overdue actions gives its own date.
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=90))
    success_criterion = "90% of audited strategy discussions are rated good or better."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        action = model_class(*args, **kwargs)
        action.full_clean()
        action.save()
        return action


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actions.ProgressUpdate"

    action = factory.SubFactory(ActionFactory)
    author = factory.SubFactory(UserFactory)
    narrative = factory.Sequence(lambda n: f"Audit {n} completed; findings shared with managers.")
    status = "in_progress"
    rag = "green"
    percent_complete = 50
