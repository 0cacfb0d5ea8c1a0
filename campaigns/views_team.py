from django.views import View


class RemindTeamView(View):
    pass


class RemindOneView(View):
    pass
