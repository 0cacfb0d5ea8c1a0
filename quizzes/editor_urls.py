app_name = "quiz_editor"
urlpatterns = []
