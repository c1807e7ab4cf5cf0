from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse


class User(AbstractUser):
    """A person who signs in: an officer, a councillor, a scrutiny member or an operator."""

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


class Council(models.Model):
    """An English local authority with children's services responsibilities."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    dfe_code = models.CharField("DfE LA code", max_length=3, unique=True)
    ons_code = models.CharField("ONS code", max_length=9, unique=True)
    region = models.CharField(max_length=50, db_index=True)
    la_type = models.CharField("type", max_length=50)
    population_0_25 = models.PositiveIntegerField("population aged 0 to 25", null=True, blank=True)
    statistical_neighbours = models.ManyToManyField(
        "self", through="StatisticalNeighbour", symmetrical=False, related_name="+", blank=True
    )

    objects = CouncilQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("council_detail", args=[self.slug])


class StatisticalNeighbour(models.Model):
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


class Membership(models.Model):
    """A person's role at one council; a person may belong to several councils."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)

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
