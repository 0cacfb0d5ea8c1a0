from django.views import View


class CampaignListView(View):
    pass


class CampaignCreateView(View):
    pass


class OnboardingRuleView(View):
    pass


class CampaignDetailView(View):
    pass


class CampaignLaunchView(View):
    pass


class CampaignCloseView(View):
    pass


class ScheduleView(View):
    pass


class AssignmentListView(View):
    pass


class OverdueCsvView(View):
    pass


class ReminderLogView(View):
    pass


class ReminderRetryView(View):
    pass


class ExemptView(View):
    pass


class LiftExemptionView(View):
    pass
