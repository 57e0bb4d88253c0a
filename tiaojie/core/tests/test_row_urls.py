"""``{% row_url %}``: a list's row links are the URLs ``{% url %}`` gives, reversed once."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix

from tiaojie.core.templatetags.row_urls import row_url


def _rendered(text: str, **context: object) -> str:
    return Template("{% load row_urls %}" + text).render(Context(context))


@pytest.mark.parametrize(
    "name",
    ["cases:case_detail", "routing:route_suggested", "supervision:close_out", "public:my_case"],
)
@pytest.mark.parametrize("pk", [1, 7, 123456789])
def test_a_row_link_is_the_url_the_url_tag_gives(name: str, pk: int) -> None:
    assert _rendered(f"{{% row_url '{name}' pk %}}", pk=pk) == reverse(name, args=[pk])


def test_a_row_link_follows_the_script_prefix_of_a_server_mounted_below_a_path() -> None:
    """The same pattern under another prefix is not the answer kept for the first one."""
    plain = row_url("cases:case_detail", 5)
    set_script_prefix("/tiaojie/")
    try:
        assert row_url("cases:case_detail", 5) == "/tiaojie" + plain
    finally:
        set_script_prefix("/")
    assert row_url("cases:case_detail", 5) == plain


@pytest.mark.parametrize("pk", ["5/../../admin", "", None, -3, "1e3"])
def test_a_row_link_takes_only_a_row_number(pk: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        _rendered("{% row_url 'cases:case_detail' pk %}", pk=pk)


def test_a_pattern_without_a_number_is_refused_as_the_url_tag_refuses_it() -> None:
    with pytest.raises(NoReverseMatch):
        row_url("cases:case_list", 1)
