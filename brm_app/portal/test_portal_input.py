# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Bad input on every portal form and method.

Each is refused with a frappe.ValidationError (or a subclass) whose message a person
understands, and the portal can show it (it is in the response's messages); nothing is saved:
no new Complaint, Compliment, Customer Requirement, File or Communication. What a customer
types is stored escaped and never comes back as a live tag on a page.
"""

import frappe
from frappe.utils import add_days, add_to_date, formatdate, getdate, today

from brm_app.portal import attachment_limits
from brm_app.portal import complaints as portal_complaints
from brm_app.portal.test_portal import (
	CUSTOMER_A,
	CUSTOMER_B,
	FILE_PREFIX,
	SERVICE_A,
	SERVICE_B,
	USER_A,
	PortalTestCase,
	api_call,
	render,
)
from brm_app.rules import portal as rules

COUNTED = ("Complaint", "Compliment", "Customer Requirement", "File", "Communication")
#: What a customer types to run a script in someone's browser.
SCRIPT = '<script>alert("brm-xss")</script>'
IMAGE = '<img src=x onerror=alert("brm-xss")>'
HANDLER = '<b onmouseover=alert("brm-xss")>refund</b>'
MEGABYTE = "x" * (1024 * 1024)


def counts() -> dict[str, int]:
	return {doctype: frappe.db.count(doctype) for doctype in COUNTED}


def messages() -> list[str]:
	"""The messages of this response (``_server_messages``): what the portal shows on an error."""
	return [frappe.parse_json(m).get("message") or "" for m in frappe.local.message_log]


class InputTestCase(PortalTestCase):
	def setUp(self):
		super().setUp()
		self.before = counts()
		self.proposed = self.world.Alpha.proposed
		self.complaint = self.world.Alpha.complaint
		frappe.set_user(USER_A)

	def valid(self, method: str) -> dict:
		"""A valid request to each portal method: each bad request below differs in one value."""
		return {
			"lodge_complaint": {"subject": "Printer queue stuck", "description": "Nothing prints"},
			"give_compliment": {"subject": "Great help", "compliment": "Quick and kind"},
			"raise_requirement": {"title": "Monthly report", "desired_outcomes": "A monthly PDF"},
			"reply_to_complaint": {"name": self.complaint, "message": "Any news?"},
			"respond_to_resolution": {"name": self.proposed, "accepted": "0", "reason": "Too little"},
		}[method]

	def call(self, method: str, files=(), **params):
		return api_call(f"brm_app.api.portal.{method}", "POST", files=files, **params)

	def refused(self, method: str, expected: str, files=(), **changes) -> str:
		"""Call ``method`` with a valid request changed by ``changes`` (None: leave the value out):
		refused with ``expected`` in a readable message, which the portal can show; nothing saved."""
		params = {k: v for k, v in {**self.valid(method), **changes}.items() if v is not None}
		frappe.local.message_log = []
		outcome = None
		try:
			self.call(method, files=files, **params)
			outcome = "accepted"
		except frappe.ValidationError as e:
			message = str(e)
		except Exception as e:
			outcome = f"{type(e).__name__}: {e}"  # a 500 (or 417): the portal says "Something went wrong"
		self.assertEqual(counts(), self.before, f"{method} {changes}: something was saved")
		if outcome:
			self.fail(f"{method} {changes}: {outcome} (not refused with a ValidationError)")
		self.assertIn(expected.lower(), message.lower(), f"{method} {changes}")
		self.assertReadable(message)
		shown = messages()
		self.assertTrue(any(expected.lower() in m.lower() for m in shown), f"not shown: {shown}")
		for text in shown:
			self.assertReadable(text)
		frappe.local.message_log = []
		return message

	def assertReadable(self, message: str) -> None:
		"""A sentence for a person: no traceback, no Python or SQL, no live markup from the input."""
		self.assertTrue(message.strip())
		self.assertLess(len(message), 400, message)
		for technical in (
			"Traceback",
			"positional argument",
			"NoneType",
			"should be of type",
			"SQL",
			"(1292",
		):
			self.assertNotIn(technical, message)
		for markup in ("<script", "<img", "<b onmouseover"):
			self.assertNotIn(markup, message)

	def attach(self, *files):
		return [(f"{FILE_PREFIX}{name}", content) for name, content in files]


class TestValidRequestsPass(InputTestCase):
	"""The control: the valid requests the bad ones are made from are accepted."""

	def test_each_valid_request_is_accepted(self):
		files = self.attach(("ok.pdf", b"%PDF-1.4 fine"))
		for method in ("lodge_complaint", "give_compliment", "raise_requirement", "reply_to_complaint"):
			self.assertTrue(self.call(method, files=files, **self.valid(method)), method)
		self.assertEqual(
			self.call("respond_to_resolution", **self.valid("respond_to_resolution")), "Investigating"
		)
		after = counts()
		self.assertEqual(after["Complaint"], self.before["Complaint"] + 1)
		self.assertEqual(after["Compliment"], self.before["Compliment"] + 1)
		self.assertEqual(after["Customer Requirement"], self.before["Customer Requirement"] + 1)
		self.assertEqual(after["File"], self.before["File"] + 4)
		# the reply, and the customer's reason for rejecting (shown under Messages)
		self.assertEqual(after["Communication"], self.before["Communication"] + 2)


class TestMissingAndLongText(InputTestCase):
	def test_missing_subject(self):
		for blank in ("", "   ", "\n\t"):
			self.refused("lodge_complaint", "Please fill in Subject", subject=blank)
			self.refused("give_compliment", "Please fill in Subject", subject=blank)
			self.refused("raise_requirement", "Please fill in Title", title=blank)

	def test_missing_text(self):
		self.refused("lodge_complaint", "Please fill in Description", description=" ")
		self.refused("give_compliment", "Please fill in Your compliment", compliment="")
		self.refused("raise_requirement", "Please fill in Desired outcomes", desired_outcomes="")
		self.refused("reply_to_complaint", "Please fill in Message", message="  ")

	def test_subject_left_out_of_the_request(self):
		"""A request without the field at all (not the portal's form, but anyone's POST)."""
		self.refused("lodge_complaint", "Please fill in Subject", subject=None, description="Down")
		self.refused("give_compliment", "Please fill in Subject", subject=None)
		self.refused("raise_requirement", "Please fill in Title", title=None)
		self.refused("reply_to_complaint", "Please fill in Message", message=None)

	def test_one_megabyte_texts(self):
		self.refused("lodge_complaint", "too long", description=MEGABYTE)
		self.refused("lodge_complaint", "too long", remedy_sought=MEGABYTE)
		self.refused("give_compliment", "too long", compliment=MEGABYTE)
		self.refused("give_compliment", "too long", praised_text=MEGABYTE)
		self.refused("raise_requirement", "too long", desired_outcomes=MEGABYTE)
		self.refused("reply_to_complaint", "too long", message=MEGABYTE)
		self.refused("respond_to_resolution", "too long", reason=MEGABYTE)

	def test_limits_are_exact(self):
		over = "s" * (rules.SUBJECT_MAX + 1)
		message = self.refused("lodge_complaint", "too long", subject=over)
		self.assertIn(str(rules.SUBJECT_MAX), message)
		self.refused("give_compliment", "too long", subject=over)
		self.refused("raise_requirement", "too long", title=over)
		self.refused("lodge_complaint", "too long", description="d" * (rules.TEXT_MAX + 1))
		# at the limit: accepted
		result = self.call(
			"lodge_complaint", subject="s" * rules.SUBJECT_MAX, description="d" * rules.TEXT_MAX
		)
		self.assertEqual(len(frappe.db.get_value("Complaint", result["name"], "subject")), rules.SUBJECT_MAX)

	def test_non_string_subject(self):
		"""A list (or an object) where text belongs: what a crafted request sends."""
		for value in (["a", "b"], {"a": 1}, 5):
			self.refused("lodge_complaint", "Subject", subject=value)
			self.refused("give_compliment", "Subject", subject=value)
			self.refused("raise_requirement", "Title", title=value)
			self.refused("reply_to_complaint", "Message", message=value)
			self.refused("respond_to_resolution", "reason", reason=value)
			try:  # a lookup: nothing found (or refused), never a server error
				rows = api_call("brm_app.api.portal.similar_complaints", subject=value)
			except frappe.ValidationError:
				rows = []
			except Exception as e:
				self.fail(f"similar_complaints {value!r}: {type(e).__name__}: {e}")
			self.assertEqual(rows, [])

	def test_non_string_subject_in_the_portal_logic(self):
		"""Under the API's own type check, the portal logic refuses it too (a second fence)."""
		with self.assertRaises(frappe.ValidationError) as ctx:
			portal_complaints.lodge(["Broken", "printer"], "Nothing prints")
		self.assertIn("Subject must be text", str(ctx.exception))
		self.assertEqual(counts(), self.before)


class TestScriptsStayText(InputTestCase):
	def assertNoLiveTag(self, html: str, where: str) -> None:
		for live in (SCRIPT, "<img src=x onerror", "<b onmouseover"):
			self.assertFalse(live in html, f"{where}: {live!r} is live in the page")

	def test_complaint_texts_are_stored_escaped_and_shown_as_text(self):
		result = self.call(
			"lodge_complaint",
			subject=f"Broken {SCRIPT} portal",
			description=f"{SCRIPT}\n{IMAGE}",
			remedy_sought=HANDLER,
		)
		stored = frappe.db.get_value("Complaint", result["name"], ["subject", "description", "remedy_sought"])
		for value in stored:
			self.assertNotIn("<script", value)
		self.assertIn("&lt;script&gt;", stored[1], "the description keeps what was typed, escaped")
		self.assertNotIn("<img", stored[1])
		status, html = render(f"complaints/{result['name']}")
		self.assertEqual(status, 200)
		self.assertNoLiveTag(html, "complaint page")
		self.assertIn("&lt;script&gt;alert", html, "the customer sees what they typed")
		status, html = render("complaints", show="all")
		self.assertNoLiveTag(html, "complaints list")
		self.call("reply_to_complaint", name=result["name"], message=f"{IMAGE} {SCRIPT}")
		status, html = render(f"complaints/{result['name']}")
		self.assertNoLiveTag(html, "complaint page with the reply")
		self.assertIn("&lt;img src=x onerror", html)

	def test_compliment_texts(self):
		result = self.call(
			"give_compliment", subject=f"Thanks {SCRIPT}", compliment=f"{IMAGE} great", praised_text=HANDLER
		)
		status, html = render(f"compliments/{result['name']}")
		self.assertEqual(status, 200)
		self.assertNoLiveTag(html, "compliment page")
		self.assertIn("great", html)
		self.assertNoLiveTag(render("compliments")[1], "compliments list")

	def test_requirement_texts(self):
		result = self.call("raise_requirement", title=f"Report {SCRIPT}", desired_outcomes=f"{IMAGE} monthly")
		status, html = render(f"requirements/{result['name']}")
		self.assertEqual(status, 200)
		self.assertNoLiveTag(html, "requirement page")
		self.assertIn("monthly", html)
		self.assertNoLiveTag(render("requirements")[1], "requirements list")

	def test_file_name_in_an_error_is_escaped(self):
		message = self.refused("lodge_complaint", "cannot be attached", files=[(f"{IMAGE}.exe", b"MZ")])
		self.assertIn("&lt;img", message)


class TestChoices(InputTestCase):
	def test_unknown_service(self):
		for method in ("lodge_complaint", "give_compliment"):
			self.refused(method, "Choose one of your services", service="_Test No Such Service")

	def test_another_customers_service(self):
		for method in ("lodge_complaint", "give_compliment"):
			self.refused(method, "Choose one of your services", service=SERVICE_B)
		# the customer's own service is accepted
		result = self.call("lodge_complaint", service=SERVICE_A, **self.valid("lodge_complaint"))
		self.assertEqual(frappe.db.get_value("Complaint", result["name"], "service"), SERVICE_A)

	def test_unknown_category(self):
		self.refused(
			"lodge_complaint", "Choose one of the categories offered", category="_Test No Such Category"
		)

	def test_category_not_offered_to_customers(self):
		frappe.set_user("Administrator")
		hidden = self.category("_Test Portal Internal Only", visible_to_customers=0)
		disabled = self.category("_Test Portal Retired", disabled=1)
		offered = self.category("_Test Portal Offered")
		frappe.set_user(USER_A)
		self.before = counts()
		for category in (hidden, disabled):
			self.refused("lodge_complaint", "Choose one of the categories offered", category=category)
		# the form offers only the visible one
		_status, html = render("complaints/new")
		self.assertIn(offered, html)
		self.assertNotIn(hidden, html)
		self.assertNotIn(disabled, html)
		result = self.call("lodge_complaint", category=offered, **self.valid("lodge_complaint"))
		self.assertEqual(frappe.db.get_value("Complaint", result["name"], "category"), offered)

	def category(self, name: str, **values) -> str:
		return (
			frappe.get_doc({"doctype": "Complaint Category", "category_name": name, **values}).insert().name
		)

	def test_unknown_requirement_kind_and_importance(self):
		self.refused("raise_requirement", "Choose what kind", kind="Free Lunch")
		self.refused("raise_requirement", "Choose how important", importance="Extremely")


class TestDates(InputTestCase):
	def test_needed_by_in_the_past(self):
		self.refused("raise_requirement", "cannot be in the past", needed_by=add_days(today(), -1))

	def test_needed_by_too_far_ahead(self):
		self.refused("raise_requirement", "too far ahead", needed_by=add_to_date(today(), years=11))

	def test_needed_by_not_a_date(self):
		for value in ("next Tuesday", "2031-02-30", IMAGE):
			self.refused("raise_requirement", "Needed by must be a date", needed_by=value)
			# the one message the portal shows is the app's: no second, technical one
			frappe.local.message_log = []
			with self.assertRaises(frappe.ValidationError):
				self.call("raise_requirement", needed_by=value, **self.valid("raise_requirement"))
			self.assertEqual(messages(), ["Needed by must be a date."], value)
			frappe.local.message_log = []

	def test_needed_by_as_the_site_writes_dates(self):
		"""A date the check accepts is stored as that date (or refused), never a database error."""
		needed = getdate(add_days(today(), 30))
		for value in (formatdate(needed), needed.strftime("%d %B %Y"), str(needed)):
			frappe.local.message_log = []
			try:
				result = self.call("raise_requirement", needed_by=value, **self.valid("raise_requirement"))
			except frappe.ValidationError:
				continue
			except Exception as e:
				self.fail(f"needed_by {value!r}: {type(e).__name__}: {e}")
			stored = frappe.db.get_value("Customer Requirement", result["name"], "needed_by")
			self.assertEqual(getdate(stored), needed, value)


class TestAttachments(InputTestCase):
	METHODS = ("lodge_complaint", "give_compliment", "raise_requirement", "reply_to_complaint")

	def test_forbidden_file_types(self):
		for name in ("setup.exe", "notes", "report.pdf.exe", "page.html", "run.sh"):
			for method in self.METHODS:
				self.refused(method, "cannot be attached", files=self.attach((name, b"content")))

	def test_file_type_check_ignores_case_but_not_the_real_extension(self):
		files = self.attach(("SCAN.PDF", b"%PDF-1.4"))
		self.assertTrue(self.call("lodge_complaint", files=files, **self.valid("lodge_complaint")))

	def test_oversize_and_empty_files(self):
		_allowed, max_mb = attachment_limits()  # BRM Settings (default 5 MB)
		too_big = b"x" * (int(max_mb * 1024 * 1024) + 1)
		for method in self.METHODS:
			self.refused(method, "larger than", files=self.attach(("big.pdf", too_big)))
			self.refused(method, "empty", files=self.attach(("empty.pdf", b"")))

	def test_more_than_five_files(self):
		files = self.attach(*((f"page{i}.pdf", b"%PDF-1.4") for i in range(rules.MAX_FILES + 1)))
		for method in self.METHODS:
			message = self.refused(method, "Attach at most", files=files)
			self.assertIn(str(rules.MAX_FILES), message)

	def test_one_bad_file_among_good_ones_saves_none(self):
		files = self.attach(("a.pdf", b"%PDF-1.4"), ("b.txt", b"fine"), ("c.exe", b"MZ"))
		for method in self.METHODS:
			self.refused(method, "cannot be attached", files=files)


class TestResponses(InputTestCase):
	def test_reject_without_reason(self):
		for reason in (None, "", "   "):
			self.refused("respond_to_resolution", "reason", reason=reason)
		self.refused("respond_to_resolution", "reason", accepted="maybe", reason="")  # not "yes": a rejection
		self.assertEqual(frappe.db.get_value("Complaint", self.proposed, "status"), "Resolution Proposed")

	def test_response_to_a_complaint_without_a_proposal(self):
		self.refused("respond_to_resolution", "no proposed resolution", name=self.complaint, accepted="1")

	def test_similar_complaints_with_odd_subjects_finds_nothing_and_saves_nothing(self):
		for subject in ("", "a b c", MEGABYTE, f"{SCRIPT} %_%"):
			rows = api_call("brm_app.api.portal.similar_complaints", subject=subject)
			self.assertEqual(rows, [], subject[:20])
		self.assertEqual(counts(), self.before)


class TestFilingForOwnCustomerOnly(InputTestCase):
	def test_a_customer_the_user_does_not_belong_to_is_refused(self):
		for method in ("lodge_complaint", "give_compliment", "raise_requirement"):
			for customer in ("_Test No Such Customer", CUSTOMER_B, "x' OR '1'='1"):
				with self.subTest(method=method, customer=customer):
					frappe.local.message_log = []
					with self.assertRaises(frappe.PermissionError) as ctx:
						self.call(method, customer=customer, **self.valid(method))
					self.assertIn("your own organisation", str(ctx.exception))
					self.assertEqual(counts(), self.before)

	def test_naming_the_own_customer_files_for_it(self):
		result = self.call("lodge_complaint", customer=CUSTOMER_A, **self.valid("lodge_complaint"))
		self.assertEqual(frappe.db.get_value("Complaint", result["name"], "customer"), CUSTOMER_A)
