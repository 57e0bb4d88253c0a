"""Downloading a file kept with a case: scope-checked, streamed, audited. Files are never served
from a public URL (uploads go through ``case_action?do=attachment_add``)."""

from __future__ import annotations

from typing import cast

from django.http import FileResponse, Http404, HttpResponse

from tiaojie.accounts.roles import Capability
from tiaojie.cases.models import Attachment
from tiaojie.cases.selectors import cases_for
from tiaojie.cases.services.attachments import attachment_downloaded, stored_path
from tiaojie.core.access import access
from tiaojie.core.types import AuthedRequest


@access(Capability.CASE_CONTENT)
def attachment_download(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    attachment = (
        Attachment.objects.select_related("case__committee")
        .filter(pk=pk, case__in=cases_for(user))
        .first()
    )
    if attachment is None:
        raise Http404
    path = stored_path(attachment)
    if not path.is_file():
        raise Http404
    attachment_downloaded(actor=user, attachment=attachment)
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    # A streamed response; ``@access`` is typed for HttpResponse but passes any response on.
    return cast(HttpResponse, response)
