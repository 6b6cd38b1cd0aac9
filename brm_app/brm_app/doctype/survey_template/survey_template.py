# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt

from brm_app.rules import survey as rules


def template_message(code: str) -> str:
	return {
		rules.NO_QUESTIONS: _("A survey template needs at least one question."),
		rules.CHOICE_WITHOUT_OPTIONS: _("Row {0}: a Choice question needs its choices, one per line."),
		rules.NEGATIVE_WEIGHT: _("Row {0}: the weight cannot be negative."),
		rules.THRESHOLD_OUT_OF_RANGE: _(
			"Row {0}: 'Comment Required at or Below' must be on the question's scale."
		),
		rules.THRESHOLD_ON_UNSCORED: _(
			"Row {0}: 'Comment Required at or Below' only applies to Rating, NPS and CES questions."
		),
	}[code]


def translation_message(code: str) -> str:
	return {
		rules.NO_SUCH_QUESTION: _("Translations, row {0}: there is no question of that number."),
		rules.CHOICES_MISMATCH: _(
			"Translations, row {0}: give as many choices, one per line, as the question has."
		),
		rules.DUPLICATE_TRANSLATION: _(
			"Translations, row {0}: this part is already translated into that language."
		),
	}[code]


class SurveyTemplate(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from brm_app.brm_app.doctype.survey_question.survey_question import SurveyQuestion

		disabled: DF.Check
		introduction: DF.SmallText | None
		questions: DF.Table[SurveyQuestion]
		template_name: DF.Data
	# end: auto-generated types

	def validate(self):
		for row in self.questions:
			row.question = (row.question or "").strip()
		rows = {row.name: row.idx for row in self.questions}
		errors = rules.template_errors(questions_of(self))
		if errors:
			frappe.throw(
				"<br>".join(template_message(code).format(rows.get(key, "")) for code, key in errors),
				title=_("Invalid Survey Template"),
			)
		errors = rules.translation_errors(translations_of(self), questions_of(self))
		if errors:
			frappe.throw(
				"<br>".join(translation_message(code).format(idx) for code, idx in errors),
				title=_("Invalid Survey Template"),
			)


def questions_of(template) -> list[rules.Question]:
	"""The rule-side view of a Survey Template's questions (keyed by row name)."""
	if isinstance(template, str):
		template = frappe.get_cached_doc("Survey Template", template)
	return [
		rules.Question(
			key=row.name,
			kind=row.kind,
			text=row.question,
			dimension=row.dimension or None,
			weight=flt(row.weight),
			mandatory=bool(row.mandatory),
			comment_required_at_or_below=cint(row.comment_required_at_or_below) or None,
			options=tuple(o.strip() for o in (row.options or "").splitlines() if o.strip()),
		)
		for row in template.questions
	]


def translations_of(template) -> list[rules.Translation]:
	return [
		rules.Translation(
			language=row.language, part=row.part, text=row.text or "", question_no=cint(row.question_no)
		)
		for row in template.get("translations") or []
	]


def translated(template, language: str | None, title: str | None = None) -> rules.Translated:
	"""The template (and the survey's ``title``) as a contact reads it in ``language``."""
	if isinstance(template, str):
		template = frappe.get_cached_doc("Survey Template", template)
	default = frappe.db.get_default("lang") or "en"
	return rules.translate(
		title or template.template_name,
		template.introduction or "",
		questions_of(template),
		translations_of(template),
		language,
		default,
	)
