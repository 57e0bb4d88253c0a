from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VideoConfig(AppConfig):
    """Video mediation (视频调解): a room per mediation session where the mediator and the
    parties meet by WebRTC in the browser, signalled through the application, recorded only
    after every participant consents, the recording kept with the case file."""

    name = "tiaojie.video"
    label = "video"
    verbose_name = _("Video mediation")
