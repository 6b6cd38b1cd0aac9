from datetime import datetime, timedelta

import pytest

from brm_app.rules import survey as s

R = s.Question(
	"q1", s.RATING, dimension="Service quality", weight=2, mandatory=True, comment_required_at_or_below=2
)
N = s.Question("q2", s.NPS, dimension="Loyalty", weight=1, mandatory=True)
C = s.Question("q3", s.CES, dimension="Effort", weight=1)
Y = s.Question("q4", s.YES_NO)
CH = s.Question("q5", s.CHOICE, options=("Phone", "E-mail"))
T = s.Question("q6", s.FREE_TEXT, mandatory=True)
ALL = [R, N, C, Y, CH, T]


class TestFormulas:
	def test_csat_counts_4_and_5_only(self):
		assert s.csat([5, 4, 3, 3, 1]) == pytest.approx(40.0)  # 3s are not satisfied

	def test_csat_all_satisfied_and_none(self):
		assert s.csat([4, 5]) == 100.0
		assert s.csat([]) is None

	def test_nps_with_passives(self):
		# 2 promoters, 2 passives (7, 8), 1 detractor: (2 - 1) / 5 = +20
		assert s.nps([10, 9, 8, 7, 6]) == pytest.approx(20.0)

	def test_nps_all_passives_is_zero(self):
		assert s.nps([7, 8, 8, 7]) == 0.0

	def test_nps_bounds_and_ties(self):
		assert s.nps([10, 10]) == 100.0
		assert s.nps([0, 6]) == -100.0
		assert s.nps([9, 0]) == 0.0  # tie between promoters and detractors
		assert s.nps([]) is None

	def test_ces_is_the_mean(self):
		assert s.ces([7, 5, 6]) == pytest.approx(6.0)
		assert s.ces([]) is None

	def test_response_rate(self):
		assert s.response_rate(3, 12) == pytest.approx(25.0)
		assert s.response_rate(0, 0) is None

	def test_weighted_score_normalises_each_kind(self):
		# rating 4 -> 75, weight 2; NPS 10 -> 100, weight 1; CES 1 -> 0, weight 1
		assert s.weighted_score([(R, 4), (N, 10), (C, 1)]) == pytest.approx((2 * 75 + 100 + 0) / 4)

	def test_weighted_score_ignores_unscored_and_zero_weight(self):
		zero = s.Question("z", s.RATING, weight=0)
		assert s.weighted_score([(T, None), (zero, 1), (Y, 1)]) == 100.0
		assert s.weighted_score([]) is None

	def test_score_answers_combines_measures(self):
		scores = s.score_answers([(R, 5), (R, 3), (N, 9), (C, 6)], responses=2)
		assert scores.csat == 50.0 and scores.nps == 100.0 and scores.ces == 6.0 and scores.responses == 2

	def test_below_minimum(self):
		low = s.Scores(csat=50.0, nps=-100.0)
		assert s.below_minimum(low, 80, 0) == ["csat", "nps"]
		assert s.below_minimum(s.Scores(csat=90.0, nps=10.0), 80, 0) == []
		assert s.below_minimum(s.Scores(), 80, 0) == [], "no scores, nothing to follow up"

	def test_detractor(self):
		assert s.is_detractor(6) and not s.is_detractor(7) and not s.is_detractor(None)


class TestTemplates:
	def test_valid_template(self):
		assert s.template_errors(ALL) == []

	def test_empty_template(self):
		assert s.template_errors([]) == [(s.NO_QUESTIONS, "")]

	def test_choice_needs_options_and_thresholds_must_fit(self):
		bad = [
			s.Question("a", s.CHOICE, options=("", " ")),
			s.Question("b", s.RATING, comment_required_at_or_below=6),
			s.Question("c", s.FREE_TEXT, comment_required_at_or_below=2),
			s.Question("d", s.NPS, weight=-1),
		]
		assert set(s.template_errors(bad)) == {
			(s.CHOICE_WITHOUT_OPTIONS, "a"),
			(s.THRESHOLD_OUT_OF_RANGE, "b"),
			(s.THRESHOLD_ON_UNSCORED, "c"),
			(s.NEGATIVE_WEIGHT, "d"),
		}


class TestAnswers:
	def good(self, **over):
		answers = {
			"q1": s.Answer("q1", score=4),
			"q2": s.Answer("q2", score=9),
			"q5": s.Answer("q5", choice="Phone"),
			"q6": s.Answer("q6", text="Fine"),
		}
		answers.update(over)
		return answers

	def test_complete_response_is_accepted(self):
		assert s.answer_errors(ALL, self.good()) == []

	def test_missing_mandatory(self):
		answers = self.good(q2=s.Answer("q2"), q6=s.Answer("q6", text="  "))
		assert set(s.answer_errors(ALL, answers)) == {(s.MISSING, "q2"), (s.MISSING, "q6")}

	def test_out_of_range(self):
		assert s.answer_errors(ALL, self.good(q1=s.Answer("q1", score=6))) == [(s.OUT_OF_RANGE, "q1")]
		assert s.answer_errors(ALL, self.good(q2=s.Answer("q2", score=-1))) == [(s.OUT_OF_RANGE, "q2")]

	def test_low_score_needs_a_comment(self):
		assert s.answer_errors(ALL, self.good(q1=s.Answer("q1", score=2))) == [(s.COMMENT_REQUIRED, "q1")]
		assert s.answer_errors(ALL, self.good(q1=s.Answer("q1", score=2, text="Slow"))) == []
		assert s.answer_errors(ALL, self.good(q1=s.Answer("q1", score=3))) == []

	def test_choice_must_be_an_option_and_unknown_questions_refused(self):
		answers = self.good(q5=s.Answer("q5", choice="Pigeon"), q9=s.Answer("q9", score=1))
		assert set(s.answer_errors(ALL, answers)) == {(s.NOT_AN_OPTION, "q5"), (s.UNKNOWN_QUESTION, "q9")}

	@pytest.mark.parametrize("raw, parsed", [("4", 4), (4, 4), ("", None), (None, None), ("4.0", 4)])
	def test_parse_score(self, raw, parsed):
		assert s.parse_score(raw) == parsed

	@pytest.mark.parametrize("raw", ["four", "4.5", True])
	def test_parse_score_rejects(self, raw):
		with pytest.raises(ValueError):
			s.parse_score(raw)


class TestAudience:
	CONTACTS = [f"C{i:03d}" for i in range(200)]

	def test_sampling_is_reproducible_and_sized(self):
		first = s.sample(self.CONTACTS, 25, "SRV-1")
		assert len(first) == 50 and first == s.sample(self.CONTACTS, 25, "SRV-1")
		assert first != s.sample(self.CONTACTS, 25, "SRV-2")

	def test_sampling_edges(self):
		assert s.sample(self.CONTACTS, 100, "x") == sorted(self.CONTACTS)
		assert s.sample(self.CONTACTS, 0, "x") == []
		assert len(s.sample(["A", "B"], 1, "x")) == 1, "never rounds a non-empty audience to nobody"
		assert s.sample([], 50, "x") == []

	def test_transactional_sampling_draw(self):
		assert s.sampled_in(100, 0.99) and s.sampled_in(30, 0.29) and not s.sampled_in(30, 0.3)

	def test_one_reminder_after_n_days(self):
		sent = datetime(2026, 6, 1)
		assert s.due_for_reminder(sent, None, False, sent + timedelta(days=7), 7)
		assert not s.due_for_reminder(sent, None, False, sent + timedelta(days=6), 7)
		assert not s.due_for_reminder(sent, sent, False, sent + timedelta(days=9), 7)
		assert not s.due_for_reminder(sent, None, True, sent + timedelta(days=9), 7)
		assert not s.due_for_reminder(sent, None, False, sent + timedelta(days=9), 0)


class TestCountFormulas:
	def test_counts_match_lists(self):
		assert s.csat_from_counts(2, 5) == s.csat([5, 4, 3, 3, 1])
		assert s.nps_from_counts(2, 1, 5) == s.nps([10, 9, 8, 7, 6])
		assert s.mean(18, 3) == s.ces([7, 5, 6])

	def test_counts_with_no_answers(self):
		assert s.csat_from_counts(0, 0) is None
		assert s.nps_from_counts(0, 0, 0) is None
		assert s.mean(0, 0) is None


class TestStatusChanges:
	def test_survey_lifecycle(self):
		allowed = [
			(None, s.DRAFT),
			(None, s.SCHEDULED),
			(s.DRAFT, s.SCHEDULED),
			(s.SCHEDULED, s.OPEN),
			(s.OPEN, s.CLOSED),
			(s.CLOSED, s.EVALUATED),
			(s.EVALUATED, s.EVALUATED),
		]
		for old, new in allowed:
			assert s.status_change_allowed(s.SURVEY_TRANSITIONS, s.SURVEY_START, old, new), (old, new)
		refused = [(None, s.OPEN), (s.DRAFT, s.EVALUATED), (s.CLOSED, s.OPEN), (s.EVALUATED, s.DRAFT)]
		for old, new in refused:
			assert not s.status_change_allowed(s.SURVEY_TRANSITIONS, s.SURVEY_START, old, new), (old, new)

	def test_invitation_answered_or_expired_is_final(self):
		start = frozenset({s.PENDING})
		assert s.status_change_allowed(s.INVITATION_TRANSITIONS, start, s.SENT, s.REMINDED)
		assert s.status_change_allowed(s.INVITATION_TRANSITIONS, start, s.REMINDED, s.RESPONDED)
		for final in (s.RESPONDED, s.EXPIRED):
			for new in (s.PENDING, s.SENT, s.REMINDED):
				assert not s.status_change_allowed(s.INVITATION_TRANSITIONS, start, final, new)
		assert not s.status_change_allowed(s.INVITATION_TRANSITIONS, start, None, s.RESPONDED)


def test_stars_from_a_fraction_rating():
	from brm_app.rules.survey import stars_from_fraction

	assert [stars_from_fraction(v) for v in (0.2, 0.4, 0.6, 0.8, 1, "0.8")] == [1, 2, 3, 4, 5, 4]
	assert stars_from_fraction(0.1) == 1 and stars_from_fraction(3) == 5  # clamped to the scale
	for not_rated in (0, None, "", "abc", float("nan"), -0.4):
		assert stars_from_fraction(not_rated) is None


def test_rating_question_is_the_first_1_to_5_rating():
	from brm_app.rules.survey import NPS, RATING, Question, rating_question

	questions = [Question("a", NPS), Question("b", RATING), Question("c", RATING)]
	assert rating_question(questions).key == "b"
	assert rating_question([Question("a", NPS)]) is None


class TestTranslations:
	Q = [
		s.Question(key="a", kind=s.RATING, text="How satisfied are you?"),
		s.Question(key="b", kind="Choice", text="How do you reach us?", options=("Phone", "E-mail")),
	]

	def rows(self, *extra):
		return [
			s.Translation("de", s.TITLE, "Zufriedenheit"),
			s.Translation("de", s.INTRODUCTION, "Zwei Fragen."),
			s.Translation("de", s.QUESTION, "Wie zufrieden sind Sie?", 1),
			s.Translation("de", s.QUESTION, "Wie erreichen Sie uns?", 2),
			s.Translation("de", s.CHOICES, "Telefon\nE-Mail", 2),
			*extra,
		]

	def test_a_complete_translation(self):
		t = s.translate("Satisfaction", "Two questions.", self.Q, self.rows(), "de", "en")
		assert (t.title, t.introduction, t.missing) == ("Zufriedenheit", "Zwei Fragen.", False)
		assert [q.text for q in t.questions] == ["Wie zufrieden sind Sie?", "Wie erreichen Sie uns?"]
		assert t.choice_labels == {"b": ["Telefon", "E-Mail"]}
		assert t.questions[1].options == ("Phone", "E-mail"), "answers keep the values as written"

	def test_missing_parts_fall_back_and_say_so(self):
		rows = [r for r in self.rows() if r.part != s.CHOICES and r.question_no != 1]
		t = s.translate("Satisfaction", "Two questions.", self.Q, rows, "de", "en")
		assert t.missing
		assert t.questions[0].text == "How satisfied are you?"
		assert t.choice_labels == {}
		assert s.translate("Satisfaction", "", self.Q, self.rows(), "fr", "en").missing
		assert not s.translate("Satisfaction", "", self.Q, [], "en", "en").missing, "its own language"
		assert not s.translate("Satisfaction", "", self.Q, [], None, "en").missing

	def test_translation_errors(self):
		bad = [
			s.Translation("de", s.QUESTION, "?", 3),
			s.Translation("de", s.CHOICES, "Nur eine", 2),
			s.Translation("de", s.CHOICES, "Telefon\nE-Mail", 1),
			s.Translation("de", s.TITLE, "A"),
			s.Translation("de", s.TITLE, "B"),
		]
		assert s.translation_errors(bad, self.Q) == [
			(s.NO_SUCH_QUESTION, 1),
			(s.CHOICES_MISMATCH, 2),
			(s.CHOICES_MISMATCH, 3),
			(s.DUPLICATE_TRANSLATION, 5),
		]
		assert s.translation_errors(self.rows(), self.Q) == []

	def test_reminders_up_to_the_cap(self):
		sent = datetime(2026, 12, 1, 9)
		assert s.due_for_reminder(sent, None, False, sent + timedelta(days=7), 7, 0, 2)
		second = sent + timedelta(days=7)
		assert not s.due_for_reminder(sent, second, False, second + timedelta(days=6), 7, 1, 2)
		assert s.due_for_reminder(sent, second, False, second + timedelta(days=7), 7, 1, 2)
		assert not s.due_for_reminder(sent, second, False, second + timedelta(days=30), 7, 2, 2)
		assert not s.due_for_reminder(sent, None, False, sent + timedelta(days=30), 7, 0, 0), "cap 0: none"
		assert not s.due_for_reminder(sent, sent, False, sent + timedelta(days=30), 7, 0, 1), (
			"an invitation reminded before the count existed counts one"
		)
