"""Signals the handbook sends, so that other apps can react without the handbook
knowing them (the handbook imports no other app of the portal).

tip_viewed(sender, employee, tip): a logged-in member of staff opened a tip's page.
"""

from django.dispatch import Signal

tip_viewed = Signal()
