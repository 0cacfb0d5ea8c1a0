"""Signals that the people app sends, each with its contract.

``employees_arrived``: sent by ``people.services.import_staff`` after it added people or
took people back (active again), inside the import's transaction, with
``employees`` (the list of those ``Employee`` rows) and ``now`` (the aware moment of
the day the import is for, or None for now). Receivers run in that transaction: what
they write commits or rolls back with the import, and an exception in a receiver undoes
the whole import (sent with ``send()``, not ``send_robust()``). The campaigns app puts
the arrivals under its onboarding rule (``campaigns.apps``): people sits below
campaigns in the apps' layers (docs/architecture.md) and may not call it.
"""

from django.dispatch import Signal

employees_arrived = Signal()
