"""Django's ``{# … #}`` comment is one line only: one spread over two lines is printed on the
page as text (the pager of every long list showed its comment to users in stop 31)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_no_template_comment_spans_lines() -> None:
    templates = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("tiaojie/*/templates/**/*.html")]
    assert len(templates) > 50
    open_comments = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in templates
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.count("{#") > line.count("#}")
    ]
    assert open_comments == [], "use {% comment %} for comments of more than one line"
