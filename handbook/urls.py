app_name = "handbook"
urlpatterns = []
