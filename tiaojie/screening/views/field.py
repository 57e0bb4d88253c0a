"""The grid worker's field app (PWA, 矛排通-style): an installable page that works offline.
Reports wait in the phone's IndexedDB and are sent to ``field_sync`` when the network returns;
each carries the key it was given when written, so a replayed sync records nothing twice.
The manifest and the service worker are served from under ``/screening/field/`` so that the
worker's scope is the app and nothing else."""

from __future__ import annotations

import json
import math
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.core.access import PUBLIC, access
from tiaojie.core.errors import DomainError, field_error
from tiaojie.core.types import AuthedRequest
from tiaojie.screening import selectors
from tiaojie.screening.choices import RiskLevel, RoundStatus
from tiaojie.screening.error_codes import ScreeningErrorCode as Code
from tiaojie.screening.models import FindingMedia, Round
from tiaojie.screening.rules import REPORT, finding_policy, may_report, round_policy
from tiaojie.screening.services.field import field_report
from tiaojie.screening.services.findings import FindingData, media_dir

# This page alone may use the camera, the microphone and the position (the site-wide policy
# refuses them): the grid worker's phone takes a photo, a voice note and where it was found.
FIELD_PERMISSIONS = "camera=(self), microphone=(self), geolocation=(self), payment=(), usb=()"
# Bump when the cached shell changes: the worker drops the old cache on activation.
SHELL_VERSION = "field-1"


def _open_rounds(request: AuthedRequest) -> list[Round]:
    rows = selectors.rounds_for(request.user).exclude(status=RoundStatus.REPORTED)[:50]
    return [r for r in rows if may_report(request.user, r)]


def _texts() -> dict[str, str]:
    """What the script says, translated here (the script has no catalogue)."""
    return {
        "waiting": _("waiting for the network"),
        # Not the 线上 of online services: the phone has the network (在线).
        "online": pgettext("network state", "Online"),
        "offline": _("Offline: reports are kept on this phone"),
        "retry": _("will try again"),
        "sent": _("%(n)s report(s) sent."),
        "place_required": _("Enter the place: where was this found?"),
        "saved_sending": _("Saved; sending…"),
        "saved_offline": _("Saved on this phone; it is sent when the network returns."),
        "no_position": _("The position is not available."),
        "no_voice": _("Voice notes are not available on this phone."),
        "record": _("Record a voice note"),
        "stop": _("Stop recording"),
        "voice_kept": _("Voice note kept."),
    }


@access(REPORT)
def field_app(request: AuthedRequest) -> HttpResponse:
    """The quick form in large type; works offline once loaded (the worker caches it)."""
    response = render(
        request,
        "screening/field.html",
        {"rounds": _open_rounds(request), "risks": RiskLevel.choices, "texts": _texts()},
    )
    response.headers["Permissions-Policy"] = FIELD_PERMISSIONS
    return response


@access(PUBLIC)
def field_manifest(request: AuthedRequest) -> HttpResponse:
    """The web app manifest (installable: name, start URL, icon). Nothing personal in it."""
    body = {
        "name": _("Screening field reports"),
        "short_name": _("Field reports"),
        "lang": "zh-CN",
        "start_url": reverse("screening:field_app"),
        "scope": reverse("screening:field_app"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b22222",
        "icons": [
            {
                "src": static("screening/field-icon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
                "purpose": "any",
            }
        ],
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/manifest+json"
    )


@access(PUBLIC)
def field_worker(request: AuthedRequest) -> HttpResponse:
    """The service worker script, with the shell's URLs filled in (nothing personal)."""
    source = (Path(__file__).resolve().parent.parent / "static" / "screening" / "sw.js").read_text(
        encoding="utf-8"
    )
    shell = [
        reverse("screening:field_app"),
        static("screening/field.js"),
        static("screening/field.css"),
        static("screening/field-icon.svg"),
        reverse("screening:field_manifest"),
    ]
    script = source.replace("__SHELL__", json.dumps(shell)).replace("__VERSION__", SHELL_VERSION)
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response.headers["Cache-Control"] = "no-cache"
    return response


def _errors(exc: DomainError) -> JsonResponse:
    return JsonResponse(
        {"code": exc.code, "message": str(exc.message), "fields": exc.fields or {}},
        status=exc.status,
        json_dumps_params={"ensure_ascii": False},
    )


def _coordinate(raw: str, field: str, bound: float) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or abs(value) > bound:
        raise field_error(
            field,
            _(
                "The position from the phone is not a valid GPS position (latitude −90 to 90, "
                "longitude −180 to 180). Locate again, or send the report without a position."
            ),
            Code.INVALID,
        )
    return value


def field_position(latitude: str, longitude: str) -> tuple[float, float] | None:
    """The phone's GPS position, or None when none was sent. ``float()`` reads ``nan`` and
    ``inf``; they and numbers off the globe are refused by field, never written into the
    finding."""
    if not latitude and not longitude:
        return None
    return (_coordinate(latitude, "latitude", 90.0), _coordinate(longitude, "longitude", 180.0))


@require_POST
@access(REPORT)
def field_sync(request: AuthedRequest) -> JsonResponse:
    """One queued report from the phone (multipart). 201 recorded, 200 already recorded (a
    replay), 422 with the fields to correct; 403/404 as the pages."""
    post = request.POST
    raw_round = post.get("round", "")
    if not raw_round.isdigit():
        message = _("Choose the screening round.")
        return JsonResponse(
            {"code": "invalid", "message": message, "fields": {"round": [message]}}, status=422
        )
    screening_round = round_policy.get_or_404(request.user, REPORT, pk=int(raw_round))
    if not may_report(request.user, screening_round):
        raise PermissionDenied
    what = post.get("what", "")
    try:
        position = field_position(post.get("latitude", ""), post.get("longitude", ""))
        if position is not None:
            what = f"{what}\n" + _("Position: %(lat).5f, %(lon).5f") % {
                "lat": position[0],
                "lon": position[1],
            }
        finding, replayed = field_report(
            actor=request.user,
            screening_round=screening_round,
            data=FindingData(
                place=post.get("place", "")[:120],
                people=post.get("people", "")[:200],
                what=what.strip()[:2000],
                risk=post.get("risk", RiskLevel.LOW),
                client_key=post.get("client_key", ""),
            ),
            photo=request.FILES.get("photo"),
            voice=request.FILES.get("voice"),
        )
    except DomainError as exc:
        return _errors(exc)
    return JsonResponse(
        {
            "finding": finding.pk,
            "replayed": replayed,
            "url": reverse("screening:finding_detail", args=[finding.pk]),
        },
        status=200 if replayed else 201,
    )


@access(REPORT)
def finding_media(request: AuthedRequest, pk: int) -> FileResponse:
    """A finding's photo or voice note, for those who read the finding; each view audited."""
    media = (
        FindingMedia.objects.select_related("finding__round__organisation").filter(pk=pk).first()
    )
    if (
        media is None
        or not finding_policy.visible(request.user, REPORT).filter(pk=media.finding_id).exists()
    ):
        raise Http404
    path = media_dir(media.finding) / media.stored_name
    if not path.is_file() or not str(path.resolve()).startswith(
        str(Path(settings.MEDIA_ROOT).resolve())
    ):
        raise Http404
    audit.record(
        EventType.FINDING_MEDIA_VIEWED,
        actor=request.user,
        organisation=media.finding.round.organisation,
        obj=media.finding,
        after={"kind": media.kind},
    )
    return FileResponse(path.open("rb"), content_type=media.content_type or None)
