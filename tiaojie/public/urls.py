"""Citizens' pages under /m/ (their own session, ``session.citizen_required``), the respondent's
link under /m/r/, and the staff's side under /online/ (scoped like cases)."""

from django.urls import path

from tiaojie.public.views import booking, citizen, guide, respondent, signing, staff

app_name = "public"
urlpatterns = [
    path("m/", citizen.home, name="home"),
    path("m/login/", citizen.sign_in, name="sign_in"),
    path("m/logout/", citizen.sign_out, name="sign_out"),
    path("m/me/real-name/", citizen.real_name, name="real_name"),
    path("m/apply/", citizen.apply, name="apply"),
    path("m/apply/question/", citizen.apply_question, name="apply_question"),
    path("m/apply/details/", citizen.apply_details, name="apply_details"),
    path("m/cases/", citizen.my_cases, name="my_cases"),
    path("m/cases/<int:pk>/", citizen.my_case, name="my_case"),
    path("m/cases/<int:pk>/evidence/<int:evidence_id>/", citizen.my_evidence, name="my_evidence"),
    path("m/cases/<int:pk>/book/", booking.book, name="book"),
    path("m/cases/<int:pk>/rate/", citizen.rate, name="rate"),
    path("m/cases/<int:pk>/sign/", signing.my_sign, name="sign"),
    path("m/cases/<int:pk>/sign/agreement.pdf", signing.my_signed_pdf, name="signed_pdf"),
    path("m/guide/", guide.index, name="guide"),
    path("m/guide/forms/<slug:name>/", guide.form, name="guide_form"),
    path("m/guide/<slug:code>/", guide.topic, name="guide_topic"),
    path("m/directory/", citizen.directory, name="directory"),
    path("m/verify/", signing.verify, name="verify"),
    path("m/dev/texts/", citizen.dev_texts, name="dev_texts"),
    path("m/r/<str:token>/", respondent.respond, name="respond"),
    path("m/r/<str:token>/sign/", signing.respondent_sign, name="respondent_sign"),
    path(
        "m/r/<str:token>/sign/agreement.pdf",
        signing.respondent_signed_pdf,
        name="respondent_signed_pdf",
    ),
    path("online/", staff.online_cases, name="online_cases"),
    path("online/slots/", booking.slots, name="slots"),
    path("online/cases/<int:pk>/", staff.online_case, name="online_case"),
    path("online/cases/<int:pk>/panel/", staff.case_panel, name="case_panel"),
    path("online/cases/<int:pk>/message/", staff.message_send, name="message_send"),
    path("online/cases/<int:pk>/proxy/<int:party_id>/", staff.proxy_entry, name="proxy_entry"),
    path(
        "online/cases/<int:pk>/evidence/<int:evidence_id>/",
        staff.evidence_download,
        name="evidence_download",
    ),
]
