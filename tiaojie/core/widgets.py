"""A select that renders its options in Python rather than one template per option.

Django renders a ``<select>`` from ``select.html``, which includes ``select_option.html`` and
``attrs.html`` once per option: on the case list's filters (statuses, dispute types, sources,
committees, mediators) that was about a fifth of the page's CPU (ADR 0051). ``QuickSelect``
writes the same HTML, byte for byte (``core/tests/test_widgets.py`` compares the two), with
the same escaping; everything else (choices, the selected value, ``attrs``) is Django's.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict[str, Any]) -> str:
    """``attrs.html``: ` name="value"`, a bare name for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(out)


class QuickSelect(forms.Select):
    """``forms.Select`` with the template work done in Python (same output)."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        if self.template_name != forms.Select.template_name:
            # A subclass with a template of its own: that template decides.
            return super().render(name, value, attrs, renderer)
        context = self.get_context(name, value, attrs)
        widget = context["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                # Each option's template ends in a newline, kept by the include.
                parts.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        # The template renderer strips what it renders.
        return mark_safe("".join(parts).strip())  # noqa: S308 (every value escaped above)
