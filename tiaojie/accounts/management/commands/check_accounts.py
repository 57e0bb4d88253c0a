"""``manage.py check_accounts``: before production, list default and shared accounts.

Reports every active account that still has the documented demo password, whose username is a
demo one, or that nobody can be reached at (no e-mail address, so no password link can be
sent). Exits 1 when it finds a default account, so that a deployment script can stop.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tiaojie.accounts.demo import DEFAULT_PASSWORD, demo_password
from tiaojie.accounts.models import User


class Command(BaseCommand):
    help = "List default (demo) and unreachable accounts; exit 1 if a default account is active."

    def handle(self, *args: Any, **options: Any) -> None:
        known = {DEFAULT_PASSWORD, demo_password()}
        default: list[str] = []
        unreachable: list[str] = []
        for user in User.objects.filter(is_active=True).order_by("username"):
            reasons = []
            if user.username.startswith("demo_"):
                reasons.append("demo username")
            if user.has_usable_password() and any(user.check_password(p) for p in known):
                reasons.append("documented demo password")
            if reasons:
                default.append(f"{user.username} ({user.role_label}): {', '.join(reasons)}")
            elif not user.email and not user.is_admin_role:
                unreachable.append(user.username)
        missing_factor = [
            u.username
            for u in User.objects.filter(
                is_active=True, role__in=settings.TIAOJIE_2FA_REQUIRED_ROLES
            ).exclude(second_factor__confirmed_at__isnull=False)
        ]
        for line in default:
            self.stdout.write(f"DEFAULT  {line}")
        for username in unreachable:
            self.stdout.write(f"NO EMAIL {username}: a password reset cannot reach this person")
        for username in sorted(missing_factor):
            self.stdout.write(f"NO 2FA   {username}: must set up a second factor at next sign-in")
        if default:
            raise CommandError(
                f"{len(default)} default account(s) are active: deactivate them before production."
            )
        self.stdout.write("No default accounts are active.")
