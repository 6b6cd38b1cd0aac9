# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""The relationship survey's chunk of invitations made in bulk (fanout.py): what it makes is
what ``create_invitation`` and ``send`` make one at a time, in a bounded number of statements."""

import email
import re
from datetime import timedelta
from email import policy
from html import escape as html_escape
from unittest.mock import patch

import frappe
from frappe.utils import get_datetime

from brm_app.api.survey import submit_response
from brm_app.brm_app.doctype.satisfaction_survey.test_satisfaction_survey import CUSTOMERS, SurveyTestCase
from brm_app.brm_app.doctype.survey_invitation import contact_policy, fanout
from brm_app.brm_app.doctype.survey_invitation.survey_invitation import (
	INVITATION,
	create_invitation,
	find_invitation,
	invited_count,
	opt_out_link,
	send_pending_invitations,
	survey_link,
)
from brm_app.rules import contact_policy as policy_rules
from brm_app.rules import survey as rules
from brm_app.setup.contact_fields import OPT_OUT
from brm_app.utils import now

CUSTOMER = CUSTOMERS[0]
#: first names: plain ones filled into one rendering, others (markup characters) rendered alone
NAMES = ("Zoë", "Anna", "Tom & Jerry", "Łukasz", "Bob", "O'Brien")
#: the invitation e-mail of these tests (the site's own may be older or edited)
TEMPLATE = "_Test BRM Fan-out Invitation"


class TestFanOut(SurveyTestCase):
	def setUp(self):
		super().setUp()
		frappe.get_doc(
			{
				"doctype": "Email Template",
				"name": TEMPLATE,
				"subject": '{{ _("How are we doing? {0}").format(survey_title) }}',
				"use_html": 1,
				"response_html": '<p>{{ _("Dear {0},").format(contact_name or customer_name) }}</p>'
				"<p>{{ customer_name }}: <b>{{ survey_title }}</b></p>"
				'<p><a href="{{ link }}">{{ link }}</a></p>'
				'<p>{{ _("The link works until {0}.").format(expires_on) }}</p>'
				'<p style="font-size: 12px"><a href="{{ opt_out_link }}">{{ _("Unsubscribe") }}</a></p>',
			}
		).insert(ignore_permissions=True)
		frappe.db.set_single_value("BRM Settings", "survey_invitation_template", TEMPLATE)
		_forget_cached()
		for i, first_name in enumerate(NAMES):
			frappe.get_doc(
				{
					"doctype": "Contact",
					"first_name": first_name,
					"email_ids": [{"email_id": f"fanout{i}@alpha.example.com", "is_primary": 1}],
					"links": [{"link_doctype": "Customer", "link_name": CUSTOMER}],
				}
			).insert(ignore_permissions=True)

	def tearDown(self):
		super().tearDown()
		_forget_cached()

	def open_survey(self, customers=(CUSTOMER,), **values):
		survey = self.survey(
			contacts_to_ask="All Contacts",
			min_days_between_surveys=0,
			customers=[{"customer": c} for c in customers],
			**values,
		)
		survey.set_status(rules.OPEN)
		return survey

	def invitations(self, survey):
		return frappe.get_all(
			INVITATION,
			filters={"survey": survey.name},
			fields=["name", "customer", "contact", "email", "status", "held_back_reason", "postponed_until"],
		)

	def queued(self, invitation: str) -> list:
		return frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": INVITATION, "reference_name": invitation},
			fields=["*"],
		)

	def test_one_invitation_per_contact_with_a_working_link_and_its_email(self):
		survey = self.open_survey()
		audience = survey.audience_contacts()
		self.assertEqual(len(audience), len(NAMES) + 2)
		self.assertEqual(survey.invite_chunk(audience), len(audience))
		invitations = self.invitations(survey)
		self.assertEqual(sorted(i.contact for i in invitations), sorted(c for _, c, _ in audience))
		self.assertEqual({i.status for i in invitations}, {rules.SENT})
		self.assertTrue(all(i.name.startswith("SINV-") for i in invitations))
		self.assertEqual(frappe.db.get_value("Satisfaction Survey", survey.name, "invited"), len(audience))
		for invitation in invitations:
			token = frappe.get_doc(INVITATION, invitation.name).get_password("token")
			self.assertEqual(find_invitation(token).name, invitation.name)
			[queue] = self.queued(invitation.name)
			self.assertEqual(queue.status, "Not Sent")
			self.assertEqual(
				frappe.get_all("Email Queue Recipient", filters={"parent": queue.name}, pluck="recipient"),
				[invitation.email],
			)
			html, text = _parts(queue.message)
			self.assertIn(survey_link(token), html)
			self.assertIn(opt_out_link(token), html)
			self.assertIn(survey_link(token), text)
			first_name = frappe.db.get_value("Contact", invitation.contact, "first_name")
			self.assertIn(html_escape(first_name, quote=False), html)
		# the link answers the survey
		token = frappe.get_doc(INVITATION, invitations[0].name).get_password("token")
		frappe.set_user("Guest")
		result = submit_response(token, self.answers())
		frappe.set_user("Administrator")
		self.assertEqual(result["status"], "ok")
		self.assertEqual(frappe.db.get_value(INVITATION, invitations[0].name, "status"), rules.RESPONDED)

	def test_same_records_and_emails_as_one_at_a_time(self):
		"""Each invitation and e-mail equals what create_invitation (frappe.sendmail) makes for
		the same contact, but for the name, token and timestamps."""
		survey = self.open_survey()
		audience = survey.audience_contacts()
		survey.invite_chunk(audience)
		bulk = {i.contact: i.name for i in self.invitations(survey)}
		for customer, contact, address in audience:
			single = create_invitation(survey, customer, contact, address, source="Relationship").name
			ours, theirs = _row(INVITATION, bulk[contact]), _row(INVITATION, single)
			for field in ("sent_on", "expires_on", "creation", "modified"):
				self.assertLess(
					abs(get_datetime(ours.pop(field)) - get_datetime(theirs.pop(field))), timedelta(seconds=5)
				)
			for field in ("name", "token_hash"):
				ours.pop(field), theirs.pop(field)
			self.assertEqual(ours, theirs)

			[ours], [theirs] = self.queued(bulk[contact]), self.queued(single)
			our_token = frappe.get_doc(INVITATION, bulk[contact]).get_password("token")
			their_token = frappe.get_doc(INVITATION, single).get_password("token")
			our_mail = email.message_from_string(ours.pop("message"), policy=policy.SMTP)
			their_mail = email.message_from_string(theirs.pop("message"), policy=policy.SMTP)
			for header in ("Subject", "From", "To", "Reply-To", "X-Frappe-Site"):
				self.assertEqual(our_mail[header], their_mail[header], header)
			self.assertEqual(
				[part.replace(our_token, their_token) for part in _parts(our_mail)], _parts(their_mail)
			)
			for field in ("name", "message_id", "reference_name", "creation", "modified"):
				ours.pop(field), theirs.pop(field)
			self.assertEqual(ours, theirs)
			self.assertEqual(
				frappe.get_all(
					"Email Queue Recipient",
					filters={"parent": self.queued(bulk[contact])[0].name},
					fields=["recipient", "status", "idx", "parentfield", "parenttype"],
				),
				frappe.get_all(
					"Email Queue Recipient",
					filters={"parent": self.queued(single)[0].name},
					fields=["recipient", "status", "idx", "parentfield", "parenttype"],
				),
			)

	def test_held_back_and_postponed_get_no_email(self):
		survey = self.open_survey(customers=(CUSTOMER, CUSTOMERS[1]))
		audience = survey.audience_contacts()
		opted_out = next(c for cu, c, _ in audience if cu == CUSTOMER)
		frappe.db.set_value("Contact", opted_out, OPT_OUT, 1)
		# the policy says wait (a serious complaint open) for the second customer's contacts
		decide = contact_policy.decide
		retry_on = now() + timedelta(days=3)

		def serious_complaint_open(rows, *args, **kwargs):
			decisions = decide(rows, *args, **kwargs)
			for customer, contact, _email in rows:
				if customer == CUSTOMERS[1]:
					decisions[contact] = policy_rules.Decision(
						False, policy_rules.QUIET_COMPLAINT_OPEN, retry_on
					)
			return decisions

		with patch.object(contact_policy, "decide", side_effect=serious_complaint_open):
			survey.invite_chunk(audience)
		by_contact = {i.contact: i for i in self.invitations(survey)}
		self.assertEqual(len(by_contact), len(audience))
		held = by_contact[opted_out]
		self.assertEqual((held.status, held.held_back_reason), (rules.HELD_BACK, "Opted Out"))
		waiting = [i for i in by_contact.values() if i.customer == CUSTOMERS[1]]
		self.assertTrue(waiting)
		for invitation in [held, *waiting]:
			self.assertFalse(self.queued(invitation.name), invitation.contact)
		for invitation in waiting:
			self.assertEqual(invitation.status, rules.PENDING)
			self.assertEqual(invitation.held_back_reason, "Serious Complaint Open")
			self.assertEqual(invitation.postponed_until, retry_on)
		sent = [i for i in by_contact.values() if i.status == rules.SENT]
		self.assertEqual(len(sent), len(NAMES) + 1)
		self.assertTrue(all(len(self.queued(i.name)) == 1 for i in sent))
		self.assertEqual(
			frappe.db.get_value("Satisfaction Survey", survey.name, "invited"), invited_count(survey.name)
		)

	def test_without_an_email_account_they_wait_for_the_daily_job(self):
		survey = self.open_survey()
		audience = survey.audience_contacts()
		frappe.db.set_value("Email Account", {"enable_outgoing": 1}, "enable_outgoing", 0)
		_forget_email_accounts()
		frappe.flags.mute_emails = False  # muted, Frappe would make up an account
		try:
			survey.invite_chunk(audience)
		finally:
			frappe.flags.mute_emails = True
		invitations = self.invitations(survey)
		self.assertEqual({i.status for i in invitations}, {rules.PENDING})
		self.assertFalse(any(self.queued(i.name) for i in invitations))
		frappe.db.set_value("Email Account", "_Test BRM Outgoing", "enable_outgoing", 1)
		_forget_email_accounts()
		self.assertEqual(send_pending_invitations(), len(audience))
		self.assertTrue(all(len(self.queued(i.name)) == 1 for i in invitations))

	def test_run_again_invites_nobody_twice(self):
		survey = self.open_survey()
		audience = survey.audience_contacts()
		survey.invite_chunk(audience[:3])
		# a re-planned chunk overlapping the first, with a contact given twice
		self.assertEqual(survey.invite_chunk([*audience, audience[-1]]), len(audience) - 3)
		self.assertEqual(survey.invite_chunk(audience), 0)
		invitations = self.invitations(survey)
		self.assertEqual(len(invitations), len(audience))
		self.assertEqual(len({i.contact for i in invitations}), len(audience))
		self.assertEqual(
			frappe.db.count(
				"Email Queue",
				{"reference_doctype": INVITATION, "reference_name": ("in", [i.name for i in invitations])},
			),
			len(audience),
		)

	def test_a_chunk_cut_off_midway_leaves_nothing_and_runs_again(self):
		"""A worker killed or the database restarted mid-chunk: the chunk's transaction is rolled
		back whole (no invitation without its token or e-mail), and the rerun invites everyone
		exactly once."""
		survey = self.open_survey()
		audience = survey.audience_contacts()
		bulk_insert = frappe.db.bulk_insert

		def lost_connection(doctype, *args, **kwargs):
			if doctype == "Email Queue Recipient":
				raise ConnectionError("Lost connection to MySQL server during query")
			return bulk_insert(doctype, *args, **kwargs)

		frappe.db.savepoint("chunk")
		with patch.object(frappe.db, "bulk_insert", side_effect=lost_connection):
			self.assertRaises(ConnectionError, survey.invite_chunk, audience)
		frappe.db.rollback(save_point="chunk")  # what the database does to the open transaction
		self.assertFalse(self.invitations(survey))
		self.assertEqual(survey.invite_chunk(audience), len(audience))
		invitations = self.invitations(survey)
		self.assertEqual(len({i.contact for i in invitations}), len(audience))
		self.assertEqual(len(invitations), len(audience))
		self.assertTrue(all(len(self.queued(i.name)) == 1 for i in invitations))
		self.assertEqual(
			frappe.db.count("__Auth", {"doctype": INVITATION, "name": ("in", [i.name for i in invitations])}),
			len(audience),
		)

	def test_statements_and_renderings_do_not_grow_with_the_contacts(self):
		self.open_survey().invite_chunk(self.open_survey().audience_contacts()[:1])  # caches warm
		counts = []
		for size in (2, len(NAMES) + 2):
			survey = self.open_survey()
			audience = survey.audience_contacts()[:size]
			with (
				patch.object(frappe.db, "sql", wraps=frappe.db.sql) as sql,
				patch.object(
					fanout._Mailer, "render", autospec=True, side_effect=fanout._Mailer.render
				) as render,
			):
				self.assertEqual(survey.invite_chunk(audience), size)
			counts.append([re.sub(r"\d+", "N", str(call.args[0]))[:70] for call in sql.call_args_list])
		self.assertEqual(counts[0], counts[1], "the same statements for 2 and 8 contacts")
		# the first e-mail and the one formatted for many; markup in a name gets its own
		self.assertLessEqual(render.call_count, 4)


def _forget_cached() -> None:
	frappe.clear_document_cache("BRM Settings", "BRM Settings")
	frappe.clear_document_cache("Email Template", TEMPLATE)


def _forget_email_accounts() -> None:
	"""Frappe keeps the outgoing account found for the request (``frappe.local``)."""
	if hasattr(frappe.local, "outgoing_email_account"):
		del frappe.local.outgoing_email_account


def _row(doctype: str, name: str) -> dict:
	return frappe.db.sql(f"select * from `tab{doctype}` where name = %s", name, as_dict=True)[0]


def _parts(message) -> list[str]:
	"""The HTML and the text of an e-mail (a MIME string or message), decoded."""
	if isinstance(message, str):
		message = email.message_from_string(message, policy=policy.SMTP)
	found = {}
	for part in message.walk():
		if part.get_content_type() in ("text/html", "text/plain"):
			found[part.get_content_type()] = part.get_content()
	return [found["text/html"], found["text/plain"]]
