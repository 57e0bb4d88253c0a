"""Forms of the review pages: they parse input; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiaojie.accounts.models import User
from tiaojie.accounts.roles import Role
from tiaojie.reviews.models import CaseReview, ReviewRound, ScoreItem, ScoreSheet
from tiaojie.reviews.services.assignment import eligible_reviewers
from tiaojie.reviews.services.scoring import ItemScoreData, item_field
from tiaojie.reviews.services.sheets import ItemData

if TYPE_CHECKING:
    from django.db.models import QuerySet

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SheetForm(VersionForm):
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    active = forms.BooleanField(label=_("In use for new rounds"), required=False, initial=True)


class ItemForm(forms.Form):
    label = forms.CharField(label=_("Item"), max_length=80, required=False)
    guidance = forms.CharField(label=_("Guidance"), max_length=300, required=False)
    weight = forms.DecimalField(label=_("Points"), required=False, max_digits=6)


ItemFormSet = formset_factory(ItemForm, extra=3)


def items_from(formset: Any) -> list[ItemData]:
    return [
        ItemData(
            label=f.cleaned_data.get("label") or "",
            weight=f.cleaned_data.get("weight") or Decimal(0),
            guidance=f.cleaned_data.get("guidance") or "",
        )
        for f in formset.forms
        if f.cleaned_data
    ]


def item_initial(sheet: ScoreSheet) -> list[dict[str, Any]]:
    return [
        {"label": i.label, "guidance": i.guidance, "weight": i.points} for i in sheet.items.all()
    ]


QUARTERS = [(q, _("Quarter %(n)s") % {"n": q}) for q in (1, 2, 3, 4)]


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    year = forms.IntegerField(label=_("Year"))
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=QUARTERS, coerce=int)
    sheet = forms.ModelChoiceField(label=_("Score sheet"), queryset=ScoreSheet.objects.none())
    sample_share = forms.IntegerField(
        label=_("Random share per committee (%)"),
        initial=10,
        help_text=_("Besides every major case and every case of a flagged mediator."),
    )
    major_amount_threshold = forms.DecimalField(
        label=_("Major case from (yuan)"),
        initial=Decimal("100000"),
        max_digits=14,
        decimal_places=2,
        help_text=_("Complex and group disputes are major whatever the amount."),
    )
    flagged_mediators = forms.ModelMultipleChoiceField(
        label=_("Flagged mediators"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Every case these mediators closed in the quarter is reviewed."),
    )

    def __init__(self, *args: Any, user: User, sheets: QuerySet[ScoreSheet], **kwargs: Any):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["quarter"].initial = (today.month - 1) // 3 + 1
        self.fields["sheet"].queryset = sheets.filter(active=True)  # type: ignore[attr-defined]
        self.fields["flagged_mediators"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            role=Role.MEDIATOR,
            is_active=True,
            organisation__path__startswith=user.organisation.path,
        ).order_by("organisation__path", "full_name")
        self.fields["flagged_mediators"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: f"{u.full_name}（{u.organisation.short_name or u.organisation.name}）"
        )


def _reviewer_label(user: User) -> str:
    return f"{user.full_name}（{user.organisation.short_name or user.organisation.name}）"


class AssignForm(forms.Form):
    reviews = forms.ModelMultipleChoiceField(
        label=_("Case files"), queryset=CaseReview.objects.none(), widget=forms.MultipleHiddenInput
    )
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=User.objects.none())

    def __init__(self, *args: Any, review_round: ReviewRound, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["reviews"].queryset = review_round.reviews.all()  # type: ignore[attr-defined]
        self.fields["reviewer"].queryset = eligible_reviewers(review_round)  # type: ignore[attr-defined]
        self.fields["reviewer"].label_from_instance = _reviewer_label  # type: ignore[attr-defined]


class ScoreForm(VersionForm):
    """One score and one note per item of the sheet (fields ``item_<id>``, ``note_<id>``)."""

    comments = forms.CharField(
        label=_("Comments"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, items: list[ScoreItem], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[item_field(item.pk)] = forms.DecimalField(
                label=item.label,
                required=False,
                max_digits=6,
                widget=forms.NumberInput(attrs={"step": "0.1", "min": 0, "max": item.weight}),
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("Note"), required=False, max_length=300
            )

    def rows(self) -> list[tuple[ScoreItem, Any, Any]]:
        return [(i, self[item_field(i.pk)], self[f"note_{i.pk}"]) for i in self.items]

    def scores(self) -> dict[int, ItemScoreData]:
        return {
            i.pk: ItemScoreData(
                self.cleaned_data.get(item_field(i.pk)),
                self.cleaned_data.get(f"note_{i.pk}") or "",
            )
            for i in self.items
        }


class RectificationRequestForm(forms.Form):
    instructions = forms.CharField(
        label=_("What to put right"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    deadline = forms.DateField(label=_("Rectification deadline"), widget=DATE)


class RectificationActionForm(VersionForm):
    """The action comes from the button pressed (``name="action"``)."""

    text = forms.CharField(
        label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
