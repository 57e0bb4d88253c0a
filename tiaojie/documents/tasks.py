"""Background work of the documents app: thin, by id, through one service."""

from __future__ import annotations

from django_tasks import task

from tiaojie.documents import services


@task()
def render_case_file(render_id: int) -> None:
    """Render the whole case file of a queued ``CaseFileRender``."""
    services.case_file_render_run(render_id=render_id)
