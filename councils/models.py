from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class DigestDay(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"


class User(AbstractUser):
    """A person who signs in: an officer, a councillor, a scrutiny member or an operator."""

    # The weekly email of the actions a person owns (actions/reminders.py); None turns it off.
    digest_day = models.PositiveSmallIntegerField(
        "day of your weekly email",
        choices=DigestDay.choices,
        null=True,
        blank=True,
        default=DigestDay.MONDAY,
    )
    digest_sent_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class CouncilQuerySet(models.QuerySet):
    def for_user(self, user) -> "CouncilQuerySet":
        """Councils the user may see: every council for a platform admin, else their memberships."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(memberships__user=user).distinct()

    def in_being(self) -> "CouncilQuerySet":
        """Councils that still exist: not abolished or merged into newer ones."""
        return self.filter(ceased=False)

    def bump_data_version(self) -> int:
        """Count a change to these councils' data, in the transaction that makes it."""
        return self.update(data_version=F("data_version") + 1)

    def with_neighbours_version(self) -> "CouncilQuerySet":
        """Annotate neighbours_version: the sum of the statistical neighbours' data versions.

        Every data version only goes up, so the sum goes up whenever a neighbour's data changes;
        a change to the links themselves changes the council's own data version.
        """
        total = (
            StatisticalNeighbour.objects.filter(council=OuterRef("pk"))
            .order_by()
            .values("council")
            .annotate(total=Sum("neighbour__data_version"))
            .values("total")
        )
        return self.annotate(neighbours_version=Coalesce(Subquery(total), 0))


class CouncilData(models.Model):
    """A row of a council's data: saving or deleting it bumps that council's data version.

    The bump happens in the same transaction as the write (councils/signals.py connects it to
    every subclass's post_save and post_delete), so services, the admin, cascading deletes and
    queryset deletes are all counted. Cached dashboard figures are keyed by the version.

    A subclass names the way to its council in ``council_path``: "council" for a foreign key to
    it, "inspection__council" through a parent. A row that belongs to no one council overrides
    ``changed_councils``. Bulk writes (``QuerySet.update``, ``bulk_create``) send no signals:
    code that makes them calls ``bump_data_version()`` itself.
    """

    council_path: ClassVar[str] = "council"

    class Meta:
        abstract = True

    def changed_councils(self) -> "CouncilQuerySet":
        """The councils whose data this row is part of: one UPDATE finds them, whatever the model.

        Read through the parent's id, so that it still works while the row is being deleted.
        """
        head, _, rest = self.council_path.partition("__")
        field = self._meta.get_field(head)
        parent_id = getattr(self, field.attname)
        if not rest:
            return Council.objects.filter(pk=parent_id)
        parents = field.related_model._base_manager.filter(pk=parent_id)
        return Council.objects.filter(pk__in=parents.values(rest))


class Council(CouncilData):
    """An English local authority with children's services responsibilities."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    dfe_code = models.CharField("DfE LA code", max_length=3, unique=True)
    ons_code = models.CharField("ONS code", max_length=9, unique=True)
    urn = models.CharField(
        "Ofsted URN",
        max_length=10,
        unique=True,
        null=True,
        blank=True,
        help_text="Ofsted's unique reference number, which the national outcomes file uses.",
    )
    region = models.CharField(max_length=50, db_index=True)
    la_type = models.CharField("type", max_length=50)
    population_0_25 = models.PositiveIntegerField("population aged 0 to 25", null=True, blank=True)
    ceased = models.BooleanField(
        default=False,
        help_text="Abolished or merged into newer councils: kept for its history, but left out "
        "of the overview. load_councils sets it for a council the DfE gives no statistical "
        "neighbours, since its neighbour model covers every council in being.",
    )
    statistical_neighbours = models.ManyToManyField(
        "self", through="StatisticalNeighbour", symmetrical=False, related_name="+", blank=True
    )
    data_version = models.PositiveBigIntegerField(
        default=0,
        editable=False,
        help_text="Goes up in the same transaction as every recorded change to the council's "
        "inspections and actions (see CouncilData). Cached dashboard figures are keyed by it.",
    )

    objects = CouncilQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self._state.adding:
            # The data version only goes up, through bump_data_version(): saving a copy read
            # before a change must not write the older number back. The save itself bumps it, as
            # for any CouncilData: a new name or region shows on the neighbours' dashboards.
            fields = kwargs.get("update_fields")
            if fields is None:
                fields = [f.name for f in self._meta.concrete_fields if not f.primary_key]
            kwargs["update_fields"] = [name for name in fields if name != "data_version"]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("council_detail", args=[self.slug])

    def changed_councils(self) -> CouncilQuerySet:
        return Council.objects.filter(pk=self.pk)


class StatisticalNeighbour(CouncilData):
    """One of a council's ten DfE statistical neighbours, ranked by closeness."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="neighbour_links")
    neighbour = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["council", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["council", "neighbour"], name="unique_neighbour"),
            models.UniqueConstraint(fields=["council", "rank"], name="unique_neighbour_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.council} neighbour {self.rank}: {self.neighbour}"


class Role(models.TextChoices):
    OFFICER = "officer", "Officer"
    LEAD_MEMBER = "lead_member", "Lead member"
    SCRUTINY = "scrutiny", "Scrutiny committee member"
    ADMIN = "admin", "Admin"


# Roles that may change a council's inspections, recommendations and actions.
EDITOR_ROLES = frozenset({Role.OFFICER, Role.ADMIN})


class Membership(CouncilData):
    """A person's role at one council; a person may belong to several councils."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)

    # Who gave, changed or took away each role, and when (councils/people.py).
    history = HistoricalRecords()

    class Meta:
        ordering = ["council", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "council"], name="one_membership_per_council")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.council})"

    @property
    def can_edit(self) -> bool:
        return self.role in EDITOR_ROLES


class OutboundEmail(models.Model):
    """An email to send, written in the transaction that decides it goes: the outbox.

    It is sent after that transaction commits, outside any transaction, by councils/outbox.py;
    a network call never holds a row lock. Each send claims the row first, so it goes once;
    a failed send is tried again later, up to a limit, and the last error is kept.
    """

    to = models.JSONField(default=list, help_text="The recipients' addresses.")
    subject = models.TextField()
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        default=timezone.now,
        help_text="Not tried before then: a send under way, or a wait after a failure.",
    )
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(sent_at__isnull=True),
                name="outbound_email_pending",
            )
        ]

    def __str__(self) -> str:
        return self.subject


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None) -> "InvitationQuerySet":
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class Invitation(CouncilData):
    """A one-time link, sent by email, to join a council in a role (councils/people.py).

    Only a hash of the link's token is kept, so the table alone opens no account.
    """

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["token_hash"])
    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.email} to {self.council} as {self.get_role_display()}"
