from django.urls import path

from tiaojie.documents import views

app_name = "documents"
urlpatterns = [
    path("<int:pk>/documents/", views.case_documents, name="case_documents"),
    path(
        "<int:pk>/documents/<slug:kind>.<slug:fmt>",
        views.document_download,
        name="document_download",
    ),
    path("<int:pk>/file.pdf", views.case_file, name="case_file"),
    path("<int:pk>/file/render/", views.case_file_render, name="case_file_render"),
    path("<int:pk>/file/status/", views.case_file_status, name="case_file_status"),
    path("documents/templates/", views.template_list, name="template_list"),
    path("documents/templates/<slug:kind>.docx", views.template_download, name="template_download"),
]
