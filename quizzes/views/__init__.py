"""The quiz's pages for staff (taking). The editors' pages live in quizzes.views.editor*."""

from quizzes.views.taking import AttemptView, ResultView, StartView

__all__ = ["AttemptView", "ResultView", "StartView"]
