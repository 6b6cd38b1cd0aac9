"""Customer satisfaction survey rules (ISO/IEC 20000-1 8.3.2 customer satisfaction; docs/design.md, survey formulas).

Pure Python: no ``frappe`` import. The formulas are exactly those of the specification:

- CSAT % = responses scoring 4 or 5 on a 1-5 question / responses to that question x 100.
- NPS = % promoters (9-10) - % detractors (0-6) of responses to a 0-10 question; -100…+100.
- CES = mean score of a 1-7 effort question (7 = easiest).
- Response rate = responded invitations / sent invitations (expired or not) x 100.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

RATING = "Rating 1-5"
NPS = "NPS 0-10"
CES = "CES 1-7"
YES_NO = "Yes/No"
CHOICE = "Choice"
FREE_TEXT = "Free Text"
KINDS = (RATING, NPS, CES, YES_NO, CHOICE, FREE_TEXT)

#: Score range per scored kind (Yes/No is scored 1 = yes, 0 = no).
RANGES = {RATING: (1, 5), NPS: (0, 10), CES: (1, 7), YES_NO: (0, 1)}
SCORED_KINDS = frozenset(RANGES)

# Satisfaction Survey statuses: Draft -> Scheduled -> Open -> Closed -> Evaluated.
DRAFT = "Draft"
SCHEDULED = "Scheduled"
OPEN = "Open"
CLOSED = "Closed"
EVALUATED = "Evaluated"
SURVEY_STATUSES = (DRAFT, SCHEDULED, OPEN, CLOSED, EVALUATED)
#: A new survey starts as a draft, or scheduled when it repeats a survey of last year.
SURVEY_START = frozenset({DRAFT, SCHEDULED})
SURVEY_TRANSITIONS = {
	DRAFT: frozenset({SCHEDULED, OPEN}),
	SCHEDULED: frozenset({DRAFT, OPEN}),
	OPEN: frozenset({CLOSED, EVALUATED}),
	CLOSED: frozenset({EVALUATED}),
	EVALUATED: frozenset({EVALUATED}),  # evaluated again with later answers
}

# Survey Invitation statuses: one contact asked once.
PENDING = "Pending"  # made, e-mail not sent yet (no e-mail account then)
SENT = "Sent"
REMINDED = "Reminded"
RESPONDED = "Responded"
EXPIRED = "Expired"
#: the contact policy held it back (opted out, asked recently, ...): never sent, not counted as asked
HELD_BACK = "Held Back"
INVITATION_STATUSES = (PENDING, SENT, REMINDED, RESPONDED, EXPIRED, HELD_BACK)
AWAITING_ANSWER = frozenset({PENDING, SENT, REMINDED})
#: An invitation starts Pending, or Held Back when the contact policy says no at once.
INVITATION_START = frozenset({PENDING, HELD_BACK})
INVITATION_TRANSITIONS = {
	# Pending -> Held Back: the policy, asked again when it was due to go, said no
	PENDING: frozenset({SENT, RESPONDED, EXPIRED, HELD_BACK}),
	SENT: frozenset({REMINDED, RESPONDED, EXPIRED}),
	REMINDED: frozenset({RESPONDED, EXPIRED}),
	RESPONDED: frozenset(),
	EXPIRED: frozenset(),
	# the customer rated the ticket in Helpdesk anyway: the answer is kept
	HELD_BACK: frozenset({RESPONDED}),
}


def status_change_allowed(transitions: dict, start: frozenset, old: str | None, new: str) -> bool:
	"""Whether a survey or invitation may go from ``old`` (None: new record) to ``new``."""
	if old is None:
		return new in start
	return old == new or new in transitions.get(old, ())


# Answer validation error codes.
MISSING = "missing"
OUT_OF_RANGE = "out_of_range"
NOT_AN_OPTION = "not_an_option"
COMMENT_REQUIRED = "comment_required"
UNKNOWN_QUESTION = "unknown_question"
TOO_LONG = "too_long"
#: The longest comment or free-text answer a respondent may send (characters).
ANSWER_TEXT_MAX = 2000

# Template validation error codes.
NO_QUESTIONS = "no_questions"
CHOICE_WITHOUT_OPTIONS = "choice_without_options"
NEGATIVE_WEIGHT = "negative_weight"
THRESHOLD_OUT_OF_RANGE = "threshold_out_of_range"
THRESHOLD_ON_UNSCORED = "threshold_on_unscored"


@dataclass(frozen=True)
class Question:
	key: str
	kind: str
	text: str = ""
	dimension: str | None = None
	weight: float = 1.0
	mandatory: bool = False
	comment_required_at_or_below: int | None = None
	options: tuple[str, ...] = ()


@dataclass
class Answer:
	key: str
	score: int | None = None
	choice: str | None = None
	text: str | None = None


# ---------------------------------------------------------------------- formulas


def csat_from_counts(satisfied: int, answered: int) -> float | None:
	"""CSAT % from counts: answers of 4 or 5 / answers to 1-5 questions x 100."""
	return 100.0 * satisfied / answered if answered else None


def nps_from_counts(promoters: int, detractors: int, answered: int) -> float | None:
	"""NPS from counts: % promoters (9-10) - % detractors (0-6)."""
	return 100.0 * (promoters - detractors) / answered if answered else None


def mean(total: float, count: float) -> float | None:
	return total / count if count else None


def csat(scores: Iterable[int]) -> float | None:
	"""CSAT %: share of 1-5 answers scoring 4 or 5; None when nobody answered."""
	scores = list(scores)
	return csat_from_counts(sum(1 for s in scores if s >= 4), len(scores))


def nps(scores: Iterable[int]) -> float | None:
	"""NPS: % promoters (9-10) minus % detractors (0-6); None when nobody answered."""
	scores = list(scores)
	return nps_from_counts(sum(1 for s in scores if s >= 9), sum(1 for s in scores if s <= 6), len(scores))


def ces(scores: Iterable[int]) -> float | None:
	"""CES: mean of 1-7 effort answers (7 = easiest); None when nobody answered."""
	scores = list(scores)
	return mean(sum(scores), len(scores))


def response_rate(responded: int, sent: int) -> float | None:
	"""Responded invitations / sent invitations x 100; None when nothing was sent."""
	if not sent:
		return None
	return 100.0 * responded / sent


def is_detractor(score: int | None) -> bool:
	return score is not None and score <= 6


def normalised(kind: str, score: int) -> float:
	"""A scored answer on a common 0-100 scale (lowest possible = 0, highest = 100)."""
	low, high = RANGES[kind]
	return 100.0 * (score - low) / (high - low)


def weighted_score(pairs: Iterable[tuple[Question, int]]) -> float | None:
	"""Weighted mean of the normalised scores of scored answers (0-100), or None."""
	total = weight_sum = 0.0
	for question, score in pairs:
		if question.kind not in SCORED_KINDS or score is None or question.weight <= 0:
			continue
		total += question.weight * normalised(question.kind, score)
		weight_sum += question.weight
	return total / weight_sum if weight_sum else None


@dataclass
class Scores:
	"""Scores of one group of answers (a response, a customer, a dimension, a survey)."""

	responses: int = 0
	csat: float | None = None
	nps: float | None = None
	ces: float | None = None
	weighted: float | None = None
	details: dict = field(default_factory=dict)


def score_answers(rows: Sequence[tuple[Question, int | None]], responses: int = 1) -> Scores:
	"""All the measures over a set of (question, score) answers."""
	by_kind: dict[str, list[int]] = {RATING: [], NPS: [], CES: []}
	for question, score in rows:
		if score is not None and question.kind in by_kind:
			by_kind[question.kind].append(score)
	return Scores(
		responses=responses,
		csat=csat(by_kind[RATING]),
		nps=nps(by_kind[NPS]),
		ces=ces(by_kind[CES]),
		weighted=weighted_score((q, s) for q, s in rows if s is not None),
	)


def below_minimum(scores: Scores, minimum_csat: float | None, nps_floor: float | None) -> list[str]:
	"""Why a response or a customer's scores need follow-up (empty list: they do not).

	Below the minimum CSAT level, or an NPS below the floor (a single detractor answer gives
	an NPS of -100 for that response).
	"""
	reasons = []
	if minimum_csat is not None and scores.csat is not None and scores.csat < minimum_csat:
		reasons.append("csat")
	if nps_floor is not None and scores.nps is not None and scores.nps < nps_floor:
		reasons.append("nps")
	return reasons


# ---------------------------------------------------------------------- templates and answers


def template_errors(questions: Sequence[Question]) -> list[tuple[str, str]]:
	"""(error code, question key) pairs that make a template unusable."""
	if not questions:
		return [(NO_QUESTIONS, "")]
	errors = []
	for q in questions:
		if q.kind == CHOICE and not [o for o in q.options if o.strip()]:
			errors.append((CHOICE_WITHOUT_OPTIONS, q.key))
		if q.weight < 0:
			errors.append((NEGATIVE_WEIGHT, q.key))
		if q.comment_required_at_or_below is not None:
			if q.kind not in SCORED_KINDS or q.kind == YES_NO:
				errors.append((THRESHOLD_ON_UNSCORED, q.key))
			else:
				low, high = RANGES[q.kind]
				if not low <= q.comment_required_at_or_below <= high:
					errors.append((THRESHOLD_OUT_OF_RANGE, q.key))
	return errors


def answer_errors(questions: Sequence[Question], answers: dict[str, Answer]) -> list[tuple[str, str]]:
	"""(error code, question key) pairs for a submitted response; empty means acceptable."""
	known = {q.key for q in questions}
	errors = [(UNKNOWN_QUESTION, key) for key in answers if key not in known]
	errors += [
		(TOO_LONG, key)
		for key, a in answers.items()
		if len((a.text or "").strip()) > ANSWER_TEXT_MAX or len(a.choice or "") > ANSWER_TEXT_MAX
	]
	for q in questions:
		a = answers.get(q.key) or Answer(q.key)
		text = (a.text or "").strip()
		if q.kind in SCORED_KINDS:
			if a.score is None:
				if q.mandatory:
					errors.append((MISSING, q.key))
				continue
			low, high = RANGES[q.kind]
			if not low <= a.score <= high:
				errors.append((OUT_OF_RANGE, q.key))
				continue
			if (
				q.comment_required_at_or_below is not None
				and a.score <= q.comment_required_at_or_below
				and not text
			):
				errors.append((COMMENT_REQUIRED, q.key))
		elif q.kind == CHOICE:
			if not a.choice:
				if q.mandatory:
					errors.append((MISSING, q.key))
			elif a.choice not in q.options:
				errors.append((NOT_AN_OPTION, q.key))
		elif q.mandatory and not text:
			errors.append((MISSING, q.key))
	return errors


def parse_score(value) -> int | None:
	"""A submitted score as an int; None for empty; raises ValueError for anything else."""
	if value is None or (isinstance(value, str) and not value.strip()):
		return None
	if isinstance(value, bool):
		raise ValueError(value)
	number = float(value)
	if not number.is_integer():
		raise ValueError(value)
	return int(number)


# ---------------------------------------------------------------------- audience


def sample(contacts: Sequence[str], percent: float, seed: str) -> list[str]:
	"""A reproducible random sample of ``percent`` % of the contacts (at least one if any)."""
	contacts = sorted(set(contacts))
	if percent >= 100 or not contacts:
		return contacts
	if percent <= 0:
		return []
	size = max(1, round(len(contacts) * percent / 100.0))
	return sorted(random.Random(seed).sample(contacts, size))


def sampled_in(percent: float, draw: float) -> bool:
	"""Whether one transactional event is surveyed, for a uniform draw in [0, 1)."""
	return percent >= 100 or draw < percent / 100.0


def due_for_reminder(
	sent_on: datetime | None,
	reminded_on: datetime | None,
	responded: bool,
	now: datetime,
	after_days: int,
	reminders_sent: int = 0,
	max_reminders: int = 1,
) -> bool:
	"""A reminder ``after_days`` after sending (and after each earlier reminder), to those who
	have not answered, at most ``max_reminders`` in all (the contact policy's cap)."""
	sent = max(reminders_sent or 0, 1 if reminded_on else 0)
	last = reminded_on or sent_on
	return bool(
		after_days
		and sent_on
		and not responded
		and sent < max_reminders
		and now >= last + timedelta(days=after_days)
	)


# ---------------------------------------------------------------------- ratings given elsewhere


def stars_from_fraction(value) -> int | None:
	"""A 5-star rating stored as a fraction (Frappe's Rating field, e.g. Helpdesk's
	feedback_rating: 0.2 a star) on the 1 to 5 scale; 0 or nothing means not rated."""
	try:
		fraction = float(value or 0)
	except (TypeError, ValueError):
		return None
	if fraction != fraction or fraction <= 0:  # NaN or not rated
		return None
	return max(1, min(5, round(fraction * 5)))


def rating_question(questions: list[Question]) -> Question | None:
	"""The question a rating given elsewhere answers: the first 1 to 5 rating question."""
	return next((q for q in questions if q.kind == RATING), None)


# ---------------------------------------------------------------------- translations (issue 27)

TITLE, INTRODUCTION, QUESTION, CHOICES = "Title", "Introduction", "Question", "Choices"


@dataclass(frozen=True)
class Translation:
	"""One row of a survey template's translations: a part (the title, the introduction, a
	question's text or its choices, one per line) in one language; questions by number."""

	language: str
	part: str
	text: str
	question_no: int = 0


@dataclass
class Translated:
	title: str
	introduction: str
	#: the questions with their text in the language (keys, kinds and choices unchanged)
	questions: list
	#: question key -> the choices as shown, in the order of ``Question.options``
	choice_labels: dict
	#: something had no translation and is shown as written
	missing: bool


def translate(
	title: str,
	introduction: str,
	questions: list,
	rows: list[Translation],
	language: str | None,
	default_language: str | None = None,
) -> Translated:
	"""The survey as a contact reads it in ``language``: each part from its translation where
	there is one, else as written (and ``missing`` says so, unless ``language`` is the one the
	template is written in, ``default_language``). Choices keep their values (the answer is
	stored as written, so reports group them); only their labels change."""
	from dataclasses import replace

	if not language or language == default_language:
		return Translated(title, introduction, list(questions), {}, missing=False)
	by = {
		(r.part, r.question_no if r.part in (QUESTION, CHOICES) else 0): r.text.strip()
		for r in rows
		if r.language == language and (r.text or "").strip()
	}
	missing = False

	def part(name, number, original):
		nonlocal missing
		if not (original or "").strip():
			return original
		if (name, number) in by:
			return by[(name, number)]
		missing = True
		return original

	shown, labels = [], {}
	for number, q in enumerate(questions, 1):
		shown.append(replace(q, text=part(QUESTION, number, q.text)))
		if q.options:
			lines = [line.strip() for line in by.get((CHOICES, number), "").splitlines() if line.strip()]
			if len(lines) == len(q.options):
				labels[q.key] = lines
			else:
				missing = True
	return Translated(part(TITLE, 0, title), part(INTRODUCTION, 0, introduction), shown, labels, missing)


def translation_errors(rows: list[Translation], questions: list) -> list[tuple[str, int]]:
	"""(code, row number) of translation rows that cannot apply: a question number outside
	the template, choices for a question without choices or with another count of lines, the
	same part twice in one language."""
	errors, seen = [], set()
	for idx, r in enumerate(rows, 1):
		key = (r.language, r.part, r.question_no if r.part in (QUESTION, CHOICES) else 0)
		if key in seen:
			errors.append((DUPLICATE_TRANSLATION, idx))
		seen.add(key)
		if r.part in (QUESTION, CHOICES):
			if not 1 <= (r.question_no or 0) <= len(questions):
				errors.append((NO_SUCH_QUESTION, idx))
				continue
			q = questions[r.question_no - 1]
			if r.part == CHOICES:
				lines = [line for line in (r.text or "").splitlines() if line.strip()]
				if len(lines) != len(q.options):
					errors.append((CHOICES_MISMATCH, idx))
	return errors


NO_SUCH_QUESTION = "no_such_question"
CHOICES_MISMATCH = "choices_mismatch"
DUPLICATE_TRANSLATION = "duplicate_translation"
