from allauth.account.adapter import DefaultAccountAdapter


class NoSignupAccountAdapter(DefaultAccountAdapter):
    """Accounts come from HR: nobody signs up on their own."""

    def is_open_for_signup(self, request) -> bool:
        return False
