"""Helpers shared by brm_app's DocTypes, jobs and pages."""

from contextlib import contextmanager
from datetime import datetime

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime


def now() -> datetime:
	"""The current time to the second: what a Datetime field shows, so that a form opened in
	the desk does not round a stored value and show itself as changed ("Not Saved")."""
	return now_datetime().replace(microsecond=0)


def strip_microseconds(doc) -> None:
	"""Datetime fields of ``doc`` and its rows to the second (see ``now``)."""
	for record in [doc, *doc.get_all_children()]:
		for df in record.meta.get("fields", {"fieldtype": "Datetime"}):
			value = record.get(df.fieldname)
			if value:
				value = get_datetime(value)
				if value.microsecond:
					record.set(df.fieldname, value.replace(microsecond=0))


def keep_process_fields(doc, fields: tuple[str, ...], before=None) -> None:
	"""Fields the process owns keep their stored values (their defaults on a new record),
	whatever a request sent, through the desk, REST or any other API. The process itself
	changes them inside ``process_update``."""
	if doc.flags.process_update:
		return
	if before is None and not doc.is_new():
		before = doc.get_doc_before_save()
	for fieldname in fields:
		df = doc.meta.get_field(fieldname)
		if df.fieldtype == "Table":
			# The stored rows, names included, so they are updated in place rather than remade.
			doc.set(fieldname, [row.as_dict() for row in before.get(fieldname)] if before else [])
		elif before:
			doc.set(fieldname, before.get(fieldname))
		else:
			doc.set(fieldname, df.default if df.default is not None else None)


@contextmanager
def process_update(doc, fields: tuple[str, ...], loaded_by_server: bool = False):
	"""Change fields the process owns, then save (validation and history as usual)::

	    with process_update(doc, PROCESS_FIELDS):
	        doc.status = ...

	Whatever a request sent for those fields (a document posted with a method call) is
	replaced by the stored values first, so only what the block sets is saved; a document
	the server itself just loaded (``loaded_by_server``) is used as it is."""
	if (
		fields
		and not loaded_by_server
		and doc.name
		and not doc.get("__islocal")
		and frappe.db.exists(doc.doctype, doc.name)
	):
		keep_process_fields(doc, fields, before=frappe.get_doc(doc.doctype, doc.name))
	yield doc
	doc.flags.process_update = True
	try:
		doc.save(ignore_permissions=True)
	finally:
		doc.flags.process_update = False


def users_with_role(role: str | None) -> list[str]:
	"""Enabled desk users holding a role (Administrator excluded), sorted."""
	if not role:
		return []
	holders = frappe.get_all("Has Role", filters={"role": role, "parenttype": "User"}, pluck="parent")
	holders = [u for u in holders if u not in ("Administrator", "Guest")]
	if not holders:
		return []
	return sorted(
		frappe.get_all(
			"User", filters={"name": ("in", holders), "enabled": 1, "user_type": "System User"}, pluck="name"
		)
	)


def send_template_email(
	doc, template: str, context: dict | None = None, print_format: str | None = None
) -> None:
	"""Render an Email Template for ``doc`` (with ``context`` over its fields) and send it to
	its contact, on the document's timeline (with ``print_format`` attached as a PDF)."""
	from frappe.core.doctype.communication.email import make
	from frappe.email.doctype.email_template.email_template import get_email_template

	doc.check_permission("email")
	if not doc.contact_email:
		frappe.throw(_("Set the contact's e-mail address first."), title=_("No Recipient"))
	if not frappe.db.exists("Email Template", template):
		frappe.throw(_("Email Template {0} does not exist. Choose one in BRM Settings.").format(template))
	from brm_app.portal.translations import in_language, recipient_language
	from brm_app.rules.intake import with_reference

	# in the customer's language, not in that of the staff member who sends it
	with in_language(recipient_language(doc.contact_email, doc.get("customer"))):
		email = get_email_template(template, {**doc.as_dict(), **(context or {})})
	make(
		doctype=doc.doctype,
		name=doc.name,
		# "(#name)": the customer's reply threads onto this record (Email Account "Append To").
		subject=with_reference(email["subject"], doc.name),
		content=email["message"],
		recipients=doc.contact_email,
		communication_medium="Email",
		sent_or_received="Sent",
		send_email=True,
		print_format=print_format,
		attachments=[
			{
				"print_format_attachment": 1,
				"doctype": doc.doctype,
				"name": doc.name,
				"print_format": print_format,
			}
		]
		if print_format
		else None,
	)


def has_outgoing_email() -> bool:
	from frappe.email.doctype.email_account.email_account import EmailAccount

	return bool(EmailAccount.find_outgoing())


def retry_on_deadlock(fn, attempts: int = 3):
	"""Run ``fn`` again (up to ``attempts`` times) when MariaDB picks its transaction as the
	victim of a deadlock, as MariaDB asks ("try restarting transaction"): the victim's work was
	rolled back entirely, so running it again is safe. Two survey answers saved at the same
	moment deadlock on the answers table's parent index (Frappe's child-row save takes a gap
	lock before it inserts); found by the reliability battery."""
	import random
	import time
	from functools import wraps

	@wraps(fn)
	def wrapper(*args, **kwargs):
		for attempt in range(1, attempts + 1):
			try:
				return fn(*args, **kwargs)
			except frappe.QueryDeadlockError:
				if attempt == attempts:
					raise
				frappe.db.rollback()
				frappe.local.message_log = []
				time.sleep(random.uniform(0.01, 0.05) * attempt)

	return wrapper


#: The records whose e-mails (invitations, reminders, status notices, escalations) are retried.
MAIL_REFERENCES = (
	"Complaint",
	"Compliment",
	"Customer Requirement",
	"Satisfaction Survey",
	"Service Performance Review",
	"Survey Invitation",
)
#: How long after it was queued an e-mail that failed every retry is still put back in the queue.
RETRY_MAIL_FOR_DAYS = 14


def retry_failed_mail() -> int:
	"""Hourly: e-mails about brm_app records that Frappe's queue gave up on (an SMTP server down
	for longer than its few retries) go back into Frappe's own queue, for up to
	``RETRY_MAIL_FOR_DAYS``; the queue's next run sends them. Returns how many were put back."""
	from frappe.utils import add_days, now_datetime

	queue = frappe.qb.DocType("Email Queue")
	failed = (
		frappe.qb.from_(queue)
		.select(queue.name)
		.where(queue.status == "Error")
		.where(queue.reference_doctype.isin(MAIL_REFERENCES))
		.where(queue.creation >= add_days(now_datetime(), -RETRY_MAIL_FOR_DAYS))
		.run(pluck=True)
	)
	if failed:
		frappe.qb.update(queue).set(queue.status, "Not Sent").set(queue.retry, 0).where(
			queue.name.isin(failed)
		).run()
	return len(failed)
