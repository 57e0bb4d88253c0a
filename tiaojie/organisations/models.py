"""The organisation tree of the mediation network.

One table holds every node (bureau, office, committee, grid, association) so that the tree is
one tree: scoping a user to "my organisation and everything below it" is a single indexed
prefix match on the materialised ``path`` (see docs/decisions/0002-materialised-path.md).
Proxy models give the glossary's names to each kind.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from tiaojie.organisations.choices import (
    CommitteeKind,
    OrganisationKind,
    OrganisationStatus,
    Sector,
    Station,
)

# Each level of the path is the node's id, zero-padded so that string order is tree order
# and a prefix never matches a sibling (``00000012.`` is not a prefix of ``00000123.``).
PATH_SEGMENT_WIDTH = 10
PATH_SEPARATOR = "."


def path_segment(pk: int) -> str:
    return f"{pk:0{PATH_SEGMENT_WIDTH}d}{PATH_SEPARATOR}"


def path_ids(path: str) -> list[int]:
    """The ids of a node's ancestors and itself, root first, read from its path."""
    return [int(part) for part in path.split(PATH_SEPARATOR) if part]


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def subtree_of(self, org: Organisation) -> OrganisationQuerySet:
        """``org`` and everything below it, in one indexed query."""
        return self.filter(path__startswith=org.path)

    def descendants_of(self, org: Organisation) -> OrganisationQuerySet:
        return self.subtree_of(org).exclude(pk=org.pk)

    def ancestors_of(self, org: Organisation) -> OrganisationQuerySet:
        """Every node above ``org``, root first, in one query (no recursion)."""
        return self.filter(pk__in=path_ids(org.path)[:-1]).order_by(Length("path"))

    def active(self) -> OrganisationQuerySet:
        return self.filter(status=OrganisationStatus.ACTIVE)


class Organisation(models.Model):
    """A node of the mediation network; writes go through ``organisations.services``."""

    kind = models.CharField(_("kind"), max_length=24, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(
        _("short name"),
        max_length=40,
        blank=True,
        help_text=_("Used in case numbers, e.g. 东湖社区."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    committee_kind = models.CharField(
        _("committee kind"), max_length=16, choices=CommitteeKind.choices, blank=True
    )
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices, blank=True)
    station = models.CharField(
        _("stationed at"), max_length=24, choices=Station.choices, blank=True
    )

    division_code = models.CharField(
        _("administrative division code"),
        max_length=12,
        blank=True,
        help_text=_(
            "GB/T 2260 code: 6 digits, or 9/12 digits with the township/village extension."
        ),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("office phone"), max_length=40, blank=True)
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    supervising_office = models.ForeignKey(
        "self",
        verbose_name=_("supervising office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised",
        help_text=_("The justice office or bureau that guides this organisation."),
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=OrganisationStatus.choices,
        default=OrganisationStatus.ACTIVE,
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    brand_name = models.CharField(
        _("brand room / personal studio"),
        max_length=80,
        blank=True,
        help_text=_("e.g. 老娘舅调解工作室"),
    )
    # 综治中心: a justice office or bureau whose centre receives disputes centrally and routes
    # them to committees (统一受理、分流处理). ``centre_channels`` lists the case sources that
    # land in its queue instead of going straight to a committee (routing.services.centres).
    is_governance_centre = models.BooleanField(_("governance centre"), default=False)
    centre_channels = models.JSONField(
        _("channels received by the centre"), default=list, blank=True
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[OrganisationQuerySet] = OrganisationQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]
        indexes = [
            # varchar_pattern_ops lets PostgreSQL answer ``LIKE 'prefix%'`` from the index
            # whatever the database collation; other backends ignore the opclass.
            models.Index(fields=["path"], name="org_path_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["kind", "status"], name="org_kind_status_idx"),
            models.Index(fields=["division_code"], name="org_division_code_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind=OrganisationKind.COMMITTEE) | ~models.Q(committee_kind=""),
                name="org_committee_has_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=OrganisationKind.COMMITTEE) | models.Q(committee_kind=""),
                name="org_only_committees_have_committee_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        """Name with its parent's, so that the twelve 第一网格 can be told apart in the trail."""
        parent = self.parent if self.parent_id else None
        return f"{parent.name} · {self.name}" if parent is not None else self.name

    @property
    def ancestor_ids(self) -> list[int]:
        return path_ids(self.path)[:-1]

    @property
    def is_committee(self) -> bool:
        return self.kind == OrganisationKind.COMMITTEE

    @property
    def kind_label(self) -> str:
        """The most specific label: the committee kind for committees, else the kind."""
        if self.is_committee and self.committee_kind:
            return str(CommitteeKind(self.committee_kind).label)
        return str(OrganisationKind(self.kind).label)

    def is_within(self, other: Organisation) -> bool:
        """True when this node is ``other`` or below it."""
        return self.path.startswith(other.path)


class _KindManager(models.Manager["Organisation"]):
    """Manager of a proxy model: only the nodes of its kinds, with the tree queries."""

    kinds: tuple[str, ...] = ()

    def get_queryset(self) -> OrganisationQuerySet:
        return OrganisationQuerySet(self.model, using=self._db).filter(kind__in=self.kinds)


class _BureauManager(_KindManager):
    kinds = (OrganisationKind.CITY_BUREAU, OrganisationKind.DISTRICT_BUREAU)


class _OfficeManager(_KindManager):
    kinds = (OrganisationKind.JUSTICE_OFFICE,)


class _CommitteeManager(_KindManager):
    kinds = (OrganisationKind.COMMITTEE,)


class _GridManager(_KindManager):
    kinds = (OrganisationKind.GRID,)


class _AssociationManager(_KindManager):
    kinds = (OrganisationKind.ASSOCIATION,)


class JusticeBureau(Organisation):
    """司法局: a city or district justice bureau. Guides and supervises; does not mediate."""

    objects: ClassVar[_KindManager] = _BureauManager()  # type: ignore[assignment]

    class Meta:
        proxy = True
        verbose_name = _("justice bureau")
        verbose_name_plural = _("justice bureaus")


class JusticeOffice(Organisation):
    """司法所: the street/township office of the district bureau."""

    objects: ClassVar[_KindManager] = _OfficeManager()  # type: ignore[assignment]

    class Meta:
        proxy = True
        verbose_name = _("justice office")
        verbose_name_plural = _("justice offices")


class Committee(Organisation):
    """人民调解委员会: the unit that accepts and mediates cases."""

    objects: ClassVar[_KindManager] = _CommitteeManager()  # type: ignore[assignment]

    class Meta:
        proxy = True
        verbose_name = _("mediation committee")
        verbose_name_plural = _("mediation committees")


class Grid(Organisation):
    """网格: the smallest territorial cell, watched by grid workers."""

    objects: ClassVar[_KindManager] = _GridManager()  # type: ignore[assignment]

    class Meta:
        proxy = True
        verbose_name = _("grid")
        verbose_name_plural = _("grids")


class Association(Organisation):
    """人民调解协会: the mediators' association of a city or district."""

    objects: ClassVar[_KindManager] = _AssociationManager()  # type: ignore[assignment]

    class Meta:
        proxy = True
        verbose_name = _("mediators' association")
        verbose_name_plural = _("mediators' associations")
