"""``manage.py seed_demo_pipeline``: the governance-centre pipeline and the apps that watch
cases, on top of the demo cases: routing rules and routed disputes, supervised cases at two
levels, ledger close-outs and carry-over, a completed case-file review round, today's deadline
alerts, per-case subsidies, the mediator roster, screening and early warning, narrative reading,
citizens' online applications, and last the statistics (rebuilt from everything before them,
with reports filed and approved at three levels). Each step is idempotent, so running it again
adds nothing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiaojie.deadlines.demo import seed_deadlines_demo
from tiaojie.mediators.demo import seed_mediators_demo
from tiaojie.public.demo import seed_public_demo
from tiaojie.reviews.demo import seed_reviews_demo
from tiaojie.routing.demo import seed_routing_demo
from tiaojie.screening.demo import seed_screening_demo
from tiaojie.statistics.demo import seed_statistics_demo
from tiaojie.subsidies.demo import seed_subsidies_demo
from tiaojie.supervision.demo import seed_supervision_demo
from tiaojie.triage.demo import seed_triage_demo


class Command(BaseCommand):
    help = "Add the pipeline and watcher apps' demo data (after seed_demo_cases)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Even with DEBUG off (never in production)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to load demo data with DEBUG off; pass --force if you mean it."
            )
        for label, step in (
            ("routing", seed_routing_demo),
            ("supervision and ledgers", seed_supervision_demo),
            ("case-file review", seed_reviews_demo),
            ("deadline alerts", seed_deadlines_demo),
            ("per-case subsidies", seed_subsidies_demo),
            ("mediator roster", seed_mediators_demo),
            ("screening", seed_screening_demo),
            ("narrative reading", seed_triage_demo),
            ("public side (citizens' applications)", seed_public_demo),
            ("statistics and filed reports", seed_statistics_demo),
        ):
            step()
            self.stdout.write(f"Demo {label}: done.")
