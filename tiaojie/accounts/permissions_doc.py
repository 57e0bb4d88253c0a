"""The role × capability table of docs/permissions.md, generated from ``roles.py``."""

from __future__ import annotations

from django.utils import translation

from tiaojie.accounts.roles import ROLE_CAPABILITIES, ROLE_ORGANISATION_KINDS, Capability, Role
from tiaojie.organisations.choices import OrganisationKind

BEGIN = "<!-- generated: manage.py permissions_table -->"
END = "<!-- end generated -->"


def table() -> str:
    """Markdown: one row per capability, one column per role, ✓ where the role grants it."""
    with translation.override("zh-hans"):
        roles = list(Role)
        header = "| capability | " + " | ".join(f"{r.value}<br>{r.label}" for r in roles) + " |"
        rule = "|---|" + "---|" * len(roles)
        rows = [
            f"| `{c.value}` {c.label} | "
            + " | ".join("✓" if c in ROLE_CAPABILITIES[r] else "" for r in roles)
            + " |"
            for c in Capability
        ]
        kinds = (
            "| belongs to | "
            + " | ".join(
                "<br>".join(
                    str(OrganisationKind(k).label) for k in sorted(ROLE_ORGANISATION_KINDS[r])
                )
                for r in roles
            )
            + " |"
        )
    return "\n".join([BEGIN, header, rule, *rows, kinds, END])
