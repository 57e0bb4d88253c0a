"""A process that registers cases as fast as it can, printing each number once its
transaction has committed (an acknowledged write). The fault test kills it with SIGKILL.

Run as ``python -m tests.faults.writer`` with DATABASE_URL pointing at a prepared database.
"""

from __future__ import annotations

import os
import sys

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    from tiaojie.accounts.models import User
    from tiaojie.cases.tests.factories import register

    actor = User.objects.get(username="demo_mediator")
    while True:
        case = register(actor)
        sys.stdout.write(f"{case.number}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
