# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Complaints by e-mail: raw messages fed through the Email Account receive path.

An Email Account whose IMAP folder appends to Complaint receives the messages (the mail
server is replaced by the messages, as in Frappe's own test_email_account.py). Frappe's
``EmailAccount.receive`` commits after every message, so this module deletes what it made
in tearDown and commits."""

from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from unittest.mock import patch

import frappe
from frappe.email.receive import EmailServer
from frappe.tests.utils import FrappeTestCase

from brm_app.brm_app.doctype.complaint.complaint import BRM_ROLE
from brm_app.tests.utils import make_contact, make_customer, make_portfolio, make_user
from brm_app.utils import users_with_role
from brm_app.workflow import move_to_status

ACCOUNT = "_Test BRM Complaints Inbox"
INBOX = "complaints@brm-intake.example"
A, B = "_Test Intake Alpha", "_Test Intake Bravo"
KNOWN = "helen.known@alpha-intake.example"
SHARED = "pat.shared@intake.example"  # a contact of both customers
UNKNOWN = "somebody@nowhere-intake.example"
SENDERS = (KNOWN, SHARED, UNKNOWN, "not-an-address")


def raw_mail(sender, subject, body, in_reply_to=None, attachment=None, message_id=None) -> bytes:
	msg = EmailMessage()
	msg["From"] = sender
	msg["To"] = INBOX
	msg["Subject"] = subject
	msg["Date"] = formatdate(localtime=True)
	msg["Message-ID"] = message_id or make_msgid(domain="intake.example")
	if in_reply_to:
		msg["In-Reply-To"] = in_reply_to
	msg.set_content(body)
	if attachment:
		filename, content = attachment
		msg.add_attachment(content, maintype="application", subtype="pdf", filename=filename)
	return msg.as_bytes()  # as a mail server hands them over (Helpdesk decodes bytes)


def receive(*messages: bytes) -> None:
	"""Frappe's receive path, with the mail server replaced by ``messages``."""
	account = frappe.get_doc("Email Account", ACCOUNT)
	inbox = {
		'"INBOX"': {
			"latest_messages": list(messages),
			"uid_list": list(range(1, len(messages) + 1)),
			"seen_status": {},
		}
	}
	with (
		patch.object(EmailServer, "connect", return_value=True),
		patch.object(EmailServer, "select_imap_folder", return_value=True, create=True),
		patch.object(EmailServer, "get_messages", side_effect=lambda **kw: inbox.get(kw.get("folder"), {})),
		patch.object(EmailServer, "logout", create=True),
	):
		account.receive()


def complaints_from(sender: str) -> list:
	return frappe.get_all(
		"Complaint",
		filters={"raised_by": sender},
		fields=["*"],
		order_by="creation asc",
	)


def received_mails(complaint: str) -> list:
	return frappe.get_all(
		"Communication",
		filters={
			"reference_doctype": "Complaint",
			"reference_name": complaint,
			"sent_or_received": "Received",
		},
		fields=["name", "subject", "message_id", "sender"],
		order_by="creation asc",
	)


class TestEmailIntake(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.flags.mute_emails = True
		make_customer(A)
		make_customer(B)
		cls.contact = make_contact(A, KNOWN)
		cls.shared = make_contact(A, SHARED)
		make_contact(B, SHARED)
		cls.manager = make_user("triage.brm@intake.example", [BRM_ROLE])
		if not frappe.db.exists("Customer Portfolio", A):
			make_portfolio(A, relationship_manager=cls.manager)
		frappe.delete_doc_if_exists("Email Account", ACCOUNT, force=True)
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": ACCOUNT,
				"email_id": INBOX,
				"enable_incoming": 1,
				"use_imap": 1,
				"email_server": "imap.brm-intake.example",
				"password": "not-used",
				"imap_folder": [{"folder_name": "INBOX", "append_to": "Complaint"}],
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		cls.remove_mail()
		frappe.delete_doc("Email Account", ACCOUNT, force=True, ignore_permissions=True)
		frappe.db.commit()
		super().tearDownClass()

	def tearDown(self):
		self.remove_mail()

	@staticmethod
	def remove_mail():
		frappe.set_user("Administrator")
		frappe.db.rollback()
		names = frappe.get_all("Complaint", filters={"raised_by": ("in", SENDERS)}, pluck="name")
		for name in names:
			comms = frappe.get_all(
				"Communication",
				filters={"reference_doctype": "Complaint", "reference_name": name},
				pluck="name",
			)
			for comm in comms:
				frappe.delete_doc("Communication", comm, force=True, ignore_permissions=True)
			frappe.delete_doc("Complaint", name, force=True, ignore_permissions=True, delete_permanently=True)
		frappe.db.delete("Communication", {"sender": ("in", SENDERS)})
		frappe.db.delete("Unhandled Email", {"email_account": ACCOUNT})
		frappe.db.delete("Error Log", {"method": "EmailAccount.receive"})
		frappe.db.delete("ToDo", {"reference_type": "Complaint", "reference_name": ("in", names or [""])})
		frappe.db.commit()

	# ------------------------------------------------------------------ new complaints

	def test_known_sender_becomes_the_customers_complaint(self):
		receive(
			raw_mail(f"Helen Known <{KNOWN}>", "Backups failed three nights in a row", "Nothing restored.")
		)
		(row,) = complaints_from(KNOWN)
		self.assertEqual(row.customer, A)
		self.assertEqual(row.customer_name, A)
		self.assertEqual(row.contact, self.contact)
		self.assertEqual(row.contact_email, KNOWN)
		self.assertEqual(row.channel, "E-mail")
		self.assertEqual(row.status, "Open")
		self.assertEqual(row.raised_by_name, "Helen Known")
		self.assertFalse(row.needs_triage)
		self.assertIn("Nothing restored.", row.description)
		self.assertTrue(row.acknowledge_by and row.resolve_by, "targets as for any complaint")
		self.assertEqual(row.complaint_owner, self.manager, "the customer's relationship manager")
		(mail,) = received_mails(row.name)
		self.assertEqual(mail.subject, "Backups failed three nights in a row")

	def test_unknown_sender_waits_for_triage_and_nobody_outside_sees_it(self):
		receive(raw_mail(UNKNOWN, "Your engineer never came", "We waited all day."))
		(row,) = complaints_from(UNKNOWN)
		self.assertTrue(row.needs_triage)
		self.assertFalse(row.customer)
		self.assertEqual(row.contact_email, UNKNOWN)
		self.assertEqual(row.channel, "E-mail")
		assigned = set(
			frappe.get_all(
				"ToDo",
				filters={"reference_type": "Complaint", "reference_name": row.name, "status": "Open"},
				pluck="allocated_to",
			)
		)
		owner = frappe.db.get_single_value("BRM Settings", "default_complaint_owner")
		self.assertTrue(assigned, "someone is assigned to triage it")
		self.assertEqual(assigned, {owner} if owner else set(users_with_role(BRM_ROLE)))

		doc = frappe.get_doc("Complaint", row.name)
		with self.assertRaisesRegex(frappe.ValidationError, "Choose the customer"):
			move_to_status(doc, "Acknowledged")
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Complaint", row.name, "status"), "Open")

		# Triage: a person picks the customer; the mark goes, the process goes on.
		doc = frappe.get_doc("Complaint", row.name)
		doc.customer = B
		doc.save()
		self.assertEqual(doc.needs_triage, 0)
		self.assertEqual(doc.customer_name, B)
		move_to_status(doc, "Acknowledged")
		self.assertEqual(frappe.db.get_value("Complaint", row.name, "status"), "Acknowledged")

	def test_unknown_sender_can_be_rejected_without_a_customer(self):
		receive(raw_mail(UNKNOWN, "Cheap watches", "Buy now."))
		(row,) = complaints_from(UNKNOWN)
		doc = frappe.get_doc("Complaint", row.name)
		move_to_status(doc, "Rejected", rejection_reason="Spam, not a complaint.")
		self.assertEqual(frappe.db.get_value("Complaint", row.name, "status"), "Rejected")

	def test_sender_of_several_customers_is_triaged_with_the_contact(self):
		receive(raw_mail(SHARED, "Two invoices for one month", "Which one do we pay?"))
		(row,) = complaints_from(SHARED)
		self.assertTrue(row.needs_triage)
		self.assertFalse(row.customer)
		self.assertEqual(row.contact, self.shared)

	def test_triage_mark_cannot_be_set_or_cleared_by_a_request(self):
		doc = frappe.get_doc(
			{"doctype": "Complaint", "subject": "Typed in the desk", "customer": A, "needs_triage": 1}
		).insert()
		self.assertEqual(doc.needs_triage, 0)
		with self.assertRaisesRegex(frappe.ValidationError, "Choose the customer"):
			frappe.get_doc({"doctype": "Complaint", "subject": "No customer", "needs_triage": 1}).insert()

	# ------------------------------------------------------------------ threads

	def test_imap_inbox_for_complaints_threads_by_subject_too(self):
		self.assertEqual(frappe.db.get_value("Email Account", ACCOUNT, "append_to"), "Complaint")

	def test_reply_threads_onto_the_same_complaint_and_tells_its_owner(self):
		first_id = make_msgid(domain="alpha-intake.example")
		receive(raw_mail(KNOWN, "Portal is down", "Since 9am.", message_id=first_id))
		(row,) = complaints_from(KNOWN)
		wrote_again = {"document_name": row.name, "subject": ("like", "%wrote again%")}
		self.assertEqual(frappe.db.count("Notification Log", wrote_again), 0, "the first mail is no reply")

		# The customer answers their own mail (In-Reply-To), then writes again quoting the reference.
		receive(raw_mail(KNOWN, "Re: Portal is down", "Still down at noon.", in_reply_to=first_id))
		receive(raw_mail(KNOWN, f"Any news? (#{row.name})", "It is now 3pm."))

		self.assertEqual(len(complaints_from(KNOWN)), 1, "no second complaint")
		mails = received_mails(row.name)
		self.assertEqual(len(mails), 3)
		description = frappe.db.get_value("Complaint", row.name, "description")
		self.assertIn("Since 9am.", description)
		self.assertNotIn("Still down", description, "replies stay in the timeline")
		self.assertEqual(
			frappe.db.count("Notification Log", {**wrote_again, "for_user": row.complaint_owner}), 2
		)

	def test_reply_to_our_status_mail_threads_by_reference(self):
		receive(raw_mail(KNOWN, "Slow restore", "Took a day."))
		(row,) = complaints_from(KNOWN)
		subject = frappe.render_template(
			frappe.db.get_value("Notification", "Complaint Acknowledged", "subject"),
			{"doc": frappe.get_doc("Complaint", row.name)},
		)
		self.assertTrue(subject.endswith(f"(#{row.name})"), subject)
		receive(raw_mail(KNOWN, f"Re: {subject}", "Thanks, waiting."))
		self.assertEqual(len(complaints_from(KNOWN)), 1)
		self.assertEqual(len(received_mails(row.name)), 2)

	# ------------------------------------------------------------------ attachments and bad mail

	def test_attachment_is_kept_private_on_the_complaint(self):
		receive(
			raw_mail(
				KNOWN,
				"Wrong figures in the report",
				"See the attached report.",
				attachment=("report-march.pdf", b"%PDF-1.4 test report"),
			)
		)
		(row,) = complaints_from(KNOWN)
		files = frappe.get_all(
			"File",
			filters={"attached_to_doctype": "Complaint", "attached_to_name": row.name},
			fields=["file_name", "file_url", "is_private"],
		)
		self.assertEqual([f.file_name for f in files], ["report-march.pdf"])
		self.assertTrue(files[0].is_private)
		self.assertTrue(files[0].file_url.startswith("/private/files/"))

	def test_malformed_message_is_logged_and_nothing_of_it_saved(self):
		errors = frappe.db.count("Error Log", {"method": "EmailAccount.receive"})
		communications = frappe.db.count("Communication")
		with self.assertRaises(Exception):
			receive(
				raw_mail("Mail Robot <not-an-address>", "Undeliverable", "???"),
				raw_mail(KNOWN, "Printer queue stuck", "All morning."),
			)
		self.assertEqual(frappe.db.count("Error Log", {"method": "EmailAccount.receive"}), errors + 1)
		log = frappe.get_last_doc("Error Log", filters={"method": "EmailAccount.receive"})
		self.assertIn("is not an e-mail address a complaint can come from", log.error)
		self.assertTrue(frappe.db.exists("Unhandled Email", {"email_account": ACCOUNT}), "raw mail kept")
		self.assertFalse(frappe.db.exists("Complaint", {"raised_by": "not-an-address"}))
		# the next message of the same batch still arrives
		self.assertEqual(len(complaints_from(KNOWN)), 1)
		self.assertEqual(frappe.db.count("Communication"), communications + 1)
