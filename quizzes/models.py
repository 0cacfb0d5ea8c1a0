"""The scenario quiz: a question bank per guideline version, and staff's attempts.

Writes go through quizzes.services; reads shared with other apps through
quizzes.selectors. An attempt freezes what was served (AttemptQuestion: which
questions, in which option order); scoring happens only on the server.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.models import AuditEvent


class QuizSettings(models.Model):
    """How the quiz of one guideline version is run."""

    version = models.OneToOneField(
        "handbook.GuidelineVersion",
        verbose_name=_("guideline version"),
        on_delete=models.CASCADE,
        related_name="quiz_settings",
    )
    questions_per_attempt = models.PositiveSmallIntegerField(
        _("questions per attempt"), default=10, validators=[MinValueValidator(1)]
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (percentage)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    shuffle_options = models.BooleanField(_("shuffle the options"), default=True)
    attempts_per_day = models.PositiveSmallIntegerField(
        _("attempts per day"), default=3, validators=[MinValueValidator(1)]
    )
    minutes_per_attempt = models.PositiveSmallIntegerField(
        _("minutes to finish an attempt"),
        default=60,
        validators=[MinValueValidator(5)],
        help_text=_("An attempt that is not submitted in time expires."),
    )
    required_for_acknowledgement = models.BooleanField(
        _("passing is required to acknowledge"), default=True
    )

    class Meta:
        verbose_name = _("quiz settings")
        verbose_name_plural = _("quiz settings")

    def __str__(self) -> str:
        return gettext("Quiz settings of %(version)s") % {"version": self.version}


class Question(models.Model):
    """A scenario question: a situation, a question and three or four options."""

    version = models.ForeignKey(
        "handbook.GuidelineVersion",
        verbose_name=_("guideline version"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    key = models.SlugField(
        _("key"),
        max_length=80,
        help_text=_("A short, stable name: the same question keeps its key in every version."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    situation = models.TextField(_("situation"))
    situation_en = models.TextField(_("situation (English)"), blank=True)
    prompt = models.TextField(_("question"))
    prompt_en = models.TextField(_("question (English)"), blank=True)
    multiple_answers = models.BooleanField(
        _("more than one answer is right"),
        default=False,
        help_text=_("The employee must tick every right option and no wrong one."),
    )
    tips = models.ManyToManyField(
        "handbook.Tip",
        verbose_name=_("tips it tests"),
        related_name="questions",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["version", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="quizzes_question_key_unique")
        ]
        permissions = [
            ("manage_question_bank", _("Can import and change a question bank")),
            ("view_quiz_statistics", _("Can see quiz statistics")),
        ]

    def __str__(self) -> str:
        return self.key

    def situation_in(self, language: str) -> str:
        return (self.situation_en or self.situation) if language == "en" else self.situation

    def prompt_in(self, language: str) -> str:
        return (self.prompt_en or self.prompt) if language == "en" else self.prompt


class Option(models.Model):
    """One answer option, with the explanation shown after the attempt."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="options"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("text"))
    text_en = models.TextField(_("text (English)"), blank=True)
    is_correct = models.BooleanField(_("right answer"), default=False)
    explanation = models.TextField(_("explanation"))
    explanation_en = models.TextField(_("explanation (English)"), blank=True)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "position"], name="quizzes_option_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question.key} {self.position}"

    def text_in(self, language: str) -> str:
        return (self.text_en or self.text) if language == "en" else self.text

    def explanation_in(self, language: str) -> str:
        return (self.explanation_en or self.explanation) if language == "en" else self.explanation


class Attempt(models.Model):
    """One employee's try at a version's quiz."""

    class Purpose(models.TextChoices):
        FULL = "full", _("Whole guideline")
        CHANGES = "changes", _("Changes in meaning only")

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="quiz_attempts",
    )
    version = models.ForeignKey(
        "handbook.GuidelineVersion",
        verbose_name=_("guideline version"),
        on_delete=models.PROTECT,
        related_name="quiz_attempts",
    )
    purpose = models.CharField(
        _("purpose"), max_length=16, choices=Purpose.choices, default=Purpose.FULL
    )
    language = models.CharField(_("language"), max_length=2, default="nl")
    started_at = models.DateTimeField(_("started at"), auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField(_("expires at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    question_count = models.PositiveSmallIntegerField(_("questions"))
    correct_count = models.PositiveSmallIntegerField(_("answered right"), null=True, blank=True)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (percentage)"))
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["employee", "version", "started_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(submitted_at__isnull=True, correct_count__isnull=True)
                | models.Q(
                    submitted_at__isnull=False,
                    correct_count__isnull=False,
                    passed__isnull=False,
                ),
                name="quizzes_attempt_scored_when_submitted",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Attempt %(pk)s by %(employee)s") % {
            "pk": self.pk,
            "employee": self.employee,
        }

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def score_percent(self) -> int | None:
        if self.correct_count is None or not self.question_count:
            return None
        return round(100 * self.correct_count / self.question_count)


class AttemptQuestion(models.Model):
    """A question as it was served in an attempt: its place and its option order."""

    attempt = models.ForeignKey(
        Attempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="served"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="served"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    option_order = models.JSONField(_("option order"), help_text=_("Option ids as served."))

    class Meta:
        verbose_name = _("served question")
        verbose_name_plural = _("served questions")
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="quizzes_served_once_per_attempt"
            ),
            models.UniqueConstraint(
                fields=["attempt", "position"], name="quizzes_served_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.position}"


class Answer(models.Model):
    """What the employee answered to one served question.

    A learning aid, not evidence: removed after QUIZ_ANSWER_RETENTION_DAYS by
    `manage.py prune_quiz_answers`, while the attempt's score and pass/fail stay.
    """

    served = models.OneToOneField(
        AttemptQuestion,
        verbose_name=_("served question"),
        on_delete=models.CASCADE,
        related_name="answer",
    )
    is_correct = models.BooleanField(_("right"))
    chosen = models.ManyToManyField(
        Option, verbose_name=_("chosen options"), related_name="chosen_in", blank=True
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.served}"


class QuizEvent(AuditEvent):
    """Audit trail of the quiz: bank imports, settings changes, pruned answers."""

    class Kind(models.TextChoices):
        BANK_IMPORTED = "bank_imported", _("Question bank imported")
        SETTINGS_CHANGED = "settings_changed", _("Quiz settings changed")
        ANSWERS_PRUNED = "answers_pruned", _("Old answers removed")

    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices)
    version = models.ForeignKey(
        "handbook.GuidelineVersion",
        verbose_name=_("guideline version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quiz_events",
    )

    class Meta(AuditEvent.Meta):
        verbose_name = _("quiz event")
        verbose_name_plural = _("quiz events")
