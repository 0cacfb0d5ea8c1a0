"""Signals the handbook sends, so that other apps can react without the handbook
knowing them (the handbook imports no other app of the portal).

tip_viewed(sender, employee, tip): a logged-in member of staff opened a tip's page.
draft_created(sender, draft): handbook.services.create_draft made a new draft (inside
its transaction; ``draft.based_on`` is the version it was copied from, or None).
"""

from django.dispatch import Signal

tip_viewed = Signal()
draft_created = Signal()
