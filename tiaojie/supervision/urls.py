app_name = "supervision"
urlpatterns: list[object] = []
