"""Messages of Django (its admin and its forms) and of django-tasks-db that their own
Dutch catalogs lack (Django 6.1), shown in the Dutch admin and translated in
locale/nl/LC_MESSAGES/django.po.

Listed here so that ``make messages`` (makemessages reads only the portal's own source)
keeps their Dutch instead of marking it obsolete. Nothing imports this module.
portal/tests/test_admin_in_dutch.py fails on any message of the Dutch admin without a
translation: after a Django upgrade, add what it names here and to django.po.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

UPSTREAM_MESSAGES = (
    # django/shortcuts.py (get_object_or_404's message, never shown on the 404 page)
    gettext_noop("No %s matches the given query."),
    # django/contrib/admin
    gettext_noop('The app "%s" could not be found.'),
    gettext_noop(", "),
    ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects.", "count"),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop(
        "Deleting the %(object_name)s “%(escaped_object)s” would result in deleting "
        "related objects, but your account doesn't have permission to delete the "
        "following types of objects:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s “%(escaped_object)s” would require deleting the "
        "following protected related objects:"
    ),
    gettext_noop(
        "Are you sure you want to delete the %(object_name)s “%(escaped_object)s”? "
        "All of the following related items will be deleted:"
    ),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("Pagination %(name)s entries"),
    gettext_noop("Pagination %(name)s"),
    gettext_noop("Search %(name)s"),
    gettext_noop("Logout"),
    # django/db/models (the empty choice of a select)
    gettext_noop("- Select an option -"),
    # django_tasks_db (the task queue's results, for superusers)
    gettext_noop("enqueued at"),
    gettext_noop("args kwargs"),
    gettext_noop("priority"),
    gettext_noop("task path"),
    gettext_noop("worker id"),
    gettext_noop("queue name"),
    gettext_noop("backend name"),
    gettext_noop("run after"),
    gettext_noop("return value"),
    gettext_noop("exception class path"),
    gettext_noop("traceback"),
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
)
