"""``QuickSelect`` writes what Django's ``Select`` templates write, byte for byte."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from tiaojie.core.widgets import QuickSelect

CHOICES: list[Any] = [
    ("", _("All")),
    ("a", "甲 & <乙>"),
    (3, "三"),
    ("group", [("g1", "组一"), ("g2", '"引号"')]),
]


@pytest.mark.parametrize("value", [None, "", "a", "3", "g2", ["a"]])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_status", "aria-invalid": "true", "required": True, "x": False}]
)
def test_the_same_html_as_djangos_select(value: Any, attrs: dict[str, Any] | None) -> None:
    with override("zh-hans"):
        django = forms.Select(choices=CHOICES).render("status", value, attrs)
        quick = QuickSelect(choices=CHOICES).render("status", value, attrs)
    assert quick == django
    assert "甲 &amp; &lt;乙&gt;" in quick and "全部" in quick


def test_a_form_field_renders_the_same_through_its_bound_field() -> None:
    class Plain(forms.Form):
        status = forms.ChoiceField(choices=CHOICES[:3], required=False)

    class Quick(forms.Form):
        status = forms.ChoiceField(choices=CHOICES[:3], required=False, widget=QuickSelect)

    for data in (None, {"status": "a"}, {"status": "nope"}):
        assert str(Quick(data)["status"]) == str(Plain(data)["status"])
