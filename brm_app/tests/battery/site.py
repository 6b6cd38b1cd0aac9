"""The battery's work inside the site, called by ``brm_app.tests.battery.run`` through ``bench execute``.

Each function runs as Administrator, commits, and prints one line ``BATTERY-JSON {...}`` for the
driver. Everything made here is named with PREFIX (customers, survey, template) or USER_PREFIX
(users' e-mails), so ``cleanup`` finds it again. Not for production sites: ``cleanup`` deletes
records outright.
"""

import json
import statistics
import time
import tracemalloc

import frappe
from frappe.utils import add_days, add_to_date, now_datetime
from frappe.utils.password import update_password

from brm_app.brm_app.doctype.survey_invitation.survey_invitation import INVITATION, create_invitation
from brm_app.brm_app.doctype.survey_template.survey_template import questions_of
from brm_app.rules import survey as survey_rules

PREFIX = "_Battery"
USER_PREFIX = "brm-battery"
PASSWORD = "Battery-Check-2026!"
TEMPLATE = f"{PREFIX} Survey Template"
SURVEY_TITLE = f"{PREFIX} Survey"
#: The records the bad-input cases must leave as they were.
COUNTED = (
	"Complaint",
	"Compliment",
	"Customer Requirement",
	"Survey Answer",
	"Survey Invitation",
	"Satisfaction Survey",
	"Customer Portfolio",
	"Service Performance Review",
	"File",
)


def emit(data: dict) -> dict:
	frappe.db.commit()
	print("BATTERY-JSON " + json.dumps(data, default=str))
	return data


def _as_admin() -> None:
	frappe.set_user("Administrator")


def customer_name(i: int) -> str:
	return f"{PREFIX} Customer {i:03d}"


def _customer(name: str) -> str:
	if not frappe.db.exists("Customer", name):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_type": "Company",
				"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}, "name"),
				"territory": frappe.db.get_value("Territory", {"is_group": 0}, "name"),
			}
		).insert(ignore_permissions=True)
	if not frappe.db.exists("Customer Portfolio", name):
		frappe.get_doc({"doctype": "Customer Portfolio", "customer": name}).insert(ignore_permissions=True)
	return name


def _user(email: str, roles: list[str], website: bool) -> str:
	if not frappe.db.exists("User", email):
		frappe.flags.in_import = True  # a hundred users a minute: past Frappe's sign-up throttle
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0].split(".")[-1].title(),
				"enabled": 1,  # defaults are not set while importing
				"send_welcome_email": 0,
				"user_type": "Website User" if website else "System User",
			}
		).insert(ignore_permissions=True)
		frappe.flags.in_import = False
		frappe.get_doc("User", email).add_roles(*roles)
		update_password(email, PASSWORD)
	return email


def _contact(customer: str, email: str, user: str | None = None) -> str:
	existing = frappe.db.get_value("Contact", {"email_id": email}, "name")
	contact = frappe.get_doc("Contact", existing) if existing else frappe.new_doc("Contact")
	if not existing:
		contact.first_name = email.split("@")[0].split(".")[-1].title()
		contact.append("email_ids", {"email_id": email, "is_primary": 1})
	if not any(link.link_name == customer for link in contact.links):
		contact.append("links", {"link_doctype": "Customer", "link_name": customer})
	contact.user = user or contact.user
	contact.save(ignore_permissions=True)
	return contact.name


def _template() -> str:
	if not frappe.db.exists("Survey Template", TEMPLATE):
		frappe.get_doc(
			{
				"doctype": "Survey Template",
				"template_name": TEMPLATE,
				"introduction": "The battery's survey.",
				"questions": [
					{"question": "How satisfied are you?", "kind": "Rating 1-5", "weight": 1, "mandatory": 1},
					{"question": "Would you recommend us?", "kind": "NPS 0-10", "weight": 1, "mandatory": 1},
				],
			}
		).insert(ignore_permissions=True)
	return TEMPLATE


def _survey(customers: list[str]):
	survey = frappe.get_doc(
		{
			"doctype": "Satisfaction Survey",
			"title": SURVEY_TITLE,
			"template": _template(),
			"kind": "Relationship",
			"audience": "Chosen Customers",
			"customers": [{"customer": c} for c in customers],
			"contacts_to_ask": "All Contacts",
			"min_days_between_surveys": 0,
			"period_start": add_days(now_datetime(), -30).date(),
			"period_end": add_days(now_datetime(), 30).date(),
		}
	).insert(ignore_permissions=True)
	survey.set_status(survey_rules.OPEN)
	return survey


def _forget_rate_limits() -> None:
	"""The battery's users start with fresh per-user rate limits (a rerun within the hour)."""
	for key in frappe.cache.get_keys("rl:"):
		if USER_PREFIX.encode() in key:
			frappe.cache.delete(key)


def answers_for(template: str = TEMPLATE) -> dict:
	"""A valid answer to every question of the battery's template."""
	return {
		q.key: {"score": 4 if q.kind == "Rating 1-5" else 9}
		for q in questions_of(frappe.get_doc("Survey Template", template))
	}


def setup(
	users: int = 50,
	customers: int = 10,
	links: int = 200,
	staff: int = 50,
	complaints: int = 20,
	overdue: int = 10,
) -> dict:
	"""Portal users (each of one customer), staff, a survey with ``links`` invitation links, and
	``complaints`` open complaints (``overdue`` of them past their acknowledgement target)."""
	_as_admin()
	frappe.flags.mute_emails = True
	_forget_rate_limits()
	names = [_customer(customer_name(i)) for i in range(customers)]
	portal = []
	for i in range(users):
		email = _user(f"{USER_PREFIX}.portal{i:03d}@example.com", ["Customer"], website=True)
		_contact(names[i % customers], email, user=email)
		portal.append([email, names[i % customers]])
	staff_users = [
		_user(
			f"{USER_PREFIX}.staff{i:03d}@example.com",
			["BRM User" if i % 2 else "Business Relationship Manager"],
			website=False,
		)
		for i in range(staff)
	]
	survey = _survey(names)
	tokens = []
	for i in range(links):
		customer = names[i % customers]
		email = f"{USER_PREFIX}.respondent{i:04d}@example.com"
		contact = _contact(customer, email)
		invitation = create_invitation(survey, customer, contact, email, send=False)
		tokens.append(invitation.get_password("token"))
	made = []
	now = now_datetime()
	for i in range(complaints):
		received = add_days(now, -10) if i < overdue else add_to_date(now, minutes=-5)
		doc = frappe.get_doc(
			{
				"doctype": "Complaint",
				"customer": names[i % customers],
				"subject": f"{PREFIX} complaint {i}",
				"description": "Made by the reliability battery.",
				"received_on": received,
			}
		).insert(ignore_permissions=True)
		made.append(doc.name)
	return emit(
		{
			"portal": portal,
			"staff": staff_users,
			"password": PASSWORD,
			"survey": survey.name,
			"tokens": tokens,
			"answers": answers_for(),
			"complaints": made,
			"overdue": made[:overdue],
			"started": str(now),
		}
	)


def sweep() -> dict:
	"""The hourly escalation sweep, as the scheduler runs it."""
	_as_admin()
	from brm_app.brm_app.doctype.complaint.escalation import escalate_overdue_complaints

	return emit({"escalated": escalate_overdue_complaints()})


def verify_load(survey: str, complaints: list[str], started: str) -> dict:
	"""What the load left: complaints filed from the portal, answers, workflow states."""
	_as_admin()
	customers = [customer_name(i) for i in range(1000) if frappe.db.exists("Customer", customer_name(i))]
	filed = frappe.get_all(
		"Complaint",
		filters={"customer": ("in", customers), "channel": "Portal", "creation": (">=", started)},
		fields=["name", "customer", "owner"],
	)
	users_customers = {
		(row.user, row.link_name)
		for row in frappe.db.sql(
			"""select c.user, l.link_name from `tabContact` c join `tabDynamic Link` l
			on l.parent = c.name and l.parenttype = 'Contact' and l.link_doctype = 'Customer'
			where c.user like %s""",
			f"{USER_PREFIX}%",
			as_dict=True,
		)
	}
	wrong_customer = [r.name for r in filed if (r.owner, r.customer) not in users_customers]
	questions = len(answers_for())
	per_invitation = frappe.db.sql(
		"""select i.name, i.status, count(a.name) as answers from `tabSurvey Invitation` i
		left join `tabSurvey Answer` a on a.parent = i.name and a.parenttype = 'Survey Invitation' where i.survey = %s group by i.name, i.status""",
		survey,
		as_dict=True,
	)
	states = []
	chain_levels = []
	for name in complaints:
		doc = frappe.get_doc("Complaint", name)
		ack_changes = 0
		for version in frappe.get_all(
			"Version", filters={"ref_doctype": "Complaint", "docname": name}, pluck="data"
		):
			data = json.loads(version or "{}")
			ack_changes += any(change[0] == "acknowledged_on" for change in data.get("changed", []))
		states.append(
			{
				"name": name,
				"status": doc.status,
				"acknowledged_on": doc.acknowledged_on,
				"ack_stamped": ack_changes,
				"escalation_level": doc.escalation_level,
				"escalations": len(doc.escalations),
				"levels": sorted(row.level for row in doc.escalations),
			}
		)
		chain_levels.append(doc.escalation_level)
	return emit(
		{
			"filed": len(filed),
			"distinct": len({r.name for r in filed}),
			"wrong_customer": wrong_customer,
			"responded": sum(1 for r in per_invitation if r.status == survey_rules.RESPONDED),
			"answer_rows_ok": sum(1 for r in per_invitation if r.answers in (0, questions)),
			"invitations": len(per_invitation),
			"states": states,
		}
	)


def counts() -> dict:
	_as_admin()
	return emit({doctype: frappe.db.count(doctype) for doctype in COUNTED})


def cleanup() -> dict:
	"""Remove everything the battery made."""
	_as_admin()
	from brm_app.tests.ui_fixture import remove

	for survey in frappe.get_all(
		"Satisfaction Survey", filters={"title": ("like", f"{PREFIX}%")}, pluck="name"
	):
		invitations = frappe.get_all(INVITATION, filters={"survey": survey}, pluck="name")
		for chunk in range(0, len(invitations), 500):
			part = invitations[chunk : chunk + 500]
			frappe.db.delete("Survey Answer", {"parenttype": INVITATION, "parent": ("in", part)})
			queued = frappe.get_all(
				"Email Queue",
				filters={"reference_doctype": INVITATION, "reference_name": ("in", part)},
				pluck="name",
			)
			if queued:
				frappe.db.delete("Email Queue Recipient", {"parent": ("in", queued)})
				frappe.db.delete("Email Queue", {"name": ("in", queued)})
			frappe.db.delete("__Auth", {"doctype": INVITATION, "name": ("in", part)})
			frappe.db.delete(INVITATION, {"name": ("in", part)})
		frappe.delete_doc(
			"Satisfaction Survey", survey, force=True, ignore_permissions=True, delete_permanently=True
		)
	if frappe.db.exists("Survey Template", TEMPLATE):
		frappe.delete_doc(
			"Survey Template", TEMPLATE, force=True, ignore_permissions=True, delete_permanently=True
		)
	memory = frappe.get_all("Contact", filters={"name": ("like", f"{MEMORY_CONTACT}%")}, pluck="name")
	for start in range(0, len(memory), 2000):
		part = memory[start : start + 2000]
		for child in ("Contact Email", "Dynamic Link", "Contact Phone"):
			frappe.db.delete(child, {"parenttype": "Contact", "parent": ("in", part)})
		frappe.db.delete("Contact", {"name": ("in", part)})
	frappe.db.commit()
	result = remove(PREFIX, USER_PREFIX)
	return emit(result)


# ---------------------------------------------------------------------- faults


def fault_survey(contacts: int = 1000, customers: int = 10) -> dict:
	"""An open relationship survey whose audience is ``contacts`` contacts (nobody invited yet)."""
	_as_admin()
	frappe.flags.mute_emails = True
	names = [_customer(customer_name(i)) for i in range(customers)]
	# Each fault case starts from contacts nobody has asked yet: the survey contact policy
	# would rightly hold back a second survey within its gap. The earlier cases' invitations to
	# the battery's customers (already checked) and their send surveys go.
	invitations = frappe.get_all(INVITATION, filters={"customer": ("in", names)}, pluck="name")
	for start in range(0, len(invitations), 1000):
		part = invitations[start : start + 1000]
		frappe.db.delete("Survey Answer", {"parenttype": INVITATION, "parent": ("in", part)})
		frappe.db.delete("__Auth", {"doctype": INVITATION, "name": ("in", part)})
		frappe.db.delete(INVITATION, {"name": ("in", part)})
	for old in frappe.get_all("Satisfaction Survey", filters={"title": f"{SURVEY_TITLE} send"}, pluck="name"):
		frappe.delete_doc("Satisfaction Survey", old, force=True, ignore_permissions=True)
	frappe.db.commit()
	existing = frappe.db.count("Contact Email", {"email_id": ("like", f"{USER_PREFIX}.audience%")})
	for i in range(existing, contacts):
		_contact(names[i % customers], f"{USER_PREFIX}.audience{i:05d}@example.com")
	survey = frappe.get_doc(
		{
			"doctype": "Satisfaction Survey",
			"title": f"{SURVEY_TITLE} send",
			"template": _template(),
			"kind": "Relationship",
			"audience": "Chosen Customers",
			"customers": [{"customer": c} for c in names],
			"contacts_to_ask": "All Contacts",
			"min_days_between_surveys": 0,
			"period_start": add_days(now_datetime(), -30).date(),
			"period_end": add_days(now_datetime(), 30).date(),
		}
	).insert(ignore_permissions=True)
	survey.set_status(survey_rules.OPEN)
	return emit({"survey": survey.name, "audience": len(survey.audience_contacts())})


def send_inline(survey: str, chunk: int = 100) -> dict:
	"""Run a survey's sending here, chunk after chunk, as a worker would (the fault cases cut it
	off midway): the planner's jobs are run in this process instead of being queued."""
	_as_admin()
	from brm_app.brm_app.doctype.satisfaction_survey import satisfaction_survey as module

	module.SEND_CHUNK = chunk
	frappe.flags.mute_emails = False
	doc = frappe.get_doc("Satisfaction Survey", survey)
	todo = doc.contacts_to_invite()
	doc.db_set(
		"to_invite", frappe.db.count(INVITATION, {"survey": survey}) + len(todo), update_modified=False
	)
	frappe.db.commit()
	sent = 0
	for start in range(0, len(todo), chunk):
		sent += module.send_invitation_chunk(survey, todo[start : start + chunk])
		frappe.db.commit()
	return emit({"sent": sent})


def send_state(survey: str) -> dict:
	_as_admin()
	return emit(_send_state(survey))


def _send_state(survey: str) -> dict:
	rows = frappe.db.sql(
		"select count(*), count(distinct contact) from `tabSurvey Invitation` where survey = %s", survey
	)[0]
	mails = frappe.db.sql(
		"""select count(*) from `tabEmail Queue` q join `tabSurvey Invitation` i
		on q.reference_doctype = 'Survey Invitation' and q.reference_name = i.name where i.survey = %s""",
		survey,
	)[0][0]
	return {
		"invitations": rows[0],
		"contacts": rows[1],
		"mails": mails,
		"to_invite": frappe.db.get_value("Satisfaction Survey", survey, "to_invite"),
	}


def resume() -> dict:
	"""The daily job that plans what a cut-off sending left (chunks run here, not queued)."""
	_as_admin()
	frappe.flags.in_test = True  # the planner runs its chunk jobs at once instead of queueing them
	try:
		from brm_app.brm_app.doctype.satisfaction_survey.satisfaction_survey import resume_sending

		resumed = resume_sending()
	finally:
		frappe.flags.in_test = False
	return emit({"resumed": resumed})


def fault_overdue(count: int = 300) -> dict:
	"""``count`` complaints past their acknowledgement target (for a sweep cut off midway)."""
	_as_admin()
	frappe.flags.mute_emails = True
	names = [_customer(customer_name(i)) for i in range(10)]
	made = []
	for i in range(count):
		made.append(
			frappe.get_doc(
				{
					"doctype": "Complaint",
					"customer": names[i % len(names)],
					"subject": f"{PREFIX} overdue {i}",
					"description": "Made by the reliability battery.",
					"received_on": add_days(now_datetime(), -10),
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	return emit({"complaints": made})


def escalation_state(complaints: list[str]) -> dict:
	_as_admin()
	rows = frappe.db.sql(
		"""select c.name, c.escalation_level, count(e.name) as escalations,
			count(distinct e.level) as levels, coalesce(max(e.level), 0) as top from `tabComplaint` c
		left join `tabComplaint Escalation` e on e.parent = c.name and e.parenttype = 'Complaint'
		where c.name in %(names)s group by c.name, c.escalation_level""",
		{"names": complaints},
		as_dict=True,
	)
	return emit(
		{
			"escalated": sum(1 for r in rows if r.escalations),
			# a level recorded twice, or the complaint's level not the highest recorded
			"twice": sum(1 for r in rows if r.escalations != r.levels or r.top != (r.escalation_level or 0)),
		}
	)


MEMORY_CONTACT = f"{PREFIX} Memory"


def _bulk_contacts(customers: list[str], per_customer: int) -> None:
	"""``per_customer`` contacts with an e-mail address for each customer, inserted in bulk (ten
	thousand one by one would take half an hour)."""
	have = frappe.db.count("Contact", {"name": ("like", f"{MEMORY_CONTACT}%")})
	now = now_datetime()
	contacts, emails, links = [], [], []
	for i in range(have, len(customers) * per_customer):
		name = f"{MEMORY_CONTACT} {i:06d}"
		email = f"{USER_PREFIX}.memory{i:06d}@example.com"
		contacts.append((name, f"Memory {i}", email, "Passive", now, now, "Administrator"))
		emails.append((frappe.generate_hash(length=10), name, "Contact", "email_ids", 1, email, 1, now, now))
		links.append(
			(
				frappe.generate_hash(length=10),
				name,
				"Contact",
				"links",
				1,
				"Customer",
				customers[i // per_customer],
				now,
				now,
			)
		)
	for start in range(0, len(contacts), 2000):
		frappe.db.bulk_insert(
			"Contact",
			["name", "first_name", "email_id", "status", "creation", "modified", "owner"],
			contacts[start : start + 2000],
		)
		frappe.db.bulk_insert(
			"Contact Email",
			[
				"name",
				"parent",
				"parenttype",
				"parentfield",
				"idx",
				"email_id",
				"is_primary",
				"creation",
				"modified",
			],
			emails[start : start + 2000],
		)
		frappe.db.bulk_insert(
			"Dynamic Link",
			[
				"name",
				"parent",
				"parenttype",
				"parentfield",
				"idx",
				"link_doctype",
				"link_name",
				"creation",
				"modified",
			],
			links[start : start + 2000],
		)
	frappe.db.commit()


def memory_of_send(audiences: list[int], chunk: int = 500, per_customer: int = 100) -> dict:
	"""Worker time and peak Python memory of a survey send for growing audiences. Each size asks
	contacts of its own (the contact policy would hold back those an earlier size just asked), in
	two sends to two equal audiences: one timed as a worker runs it (tracemalloc makes the
	e-mail building several times slower), one traced for memory. The chunk jobs' peak stays that
	of ``chunk`` invitations whatever the audience; the planner holds only the audience's names.
	A worker's first job also imports and compiles what every later job reuses (about 13 MB
	once), so one untraced chunk of a small survey runs first; each size reports the median
	chunk peak and the highest. (Contacts and surveys stay for ``cleanup``.)"""
	_as_admin()
	frappe.flags.mute_emails = True
	from brm_app.brm_app.doctype.satisfaction_survey import satisfaction_survey as module

	module.SEND_CHUNK = chunk
	groups = [-(-size // per_customer) for size in audiences]
	names = [_customer(f"{PREFIX} Audience {g:03d}") for g in range(1 + 2 * sum(groups))]
	_bulk_contacts(names, per_customer)
	warm_up = _survey(names[:1])
	frappe.db.commit()
	module.send_invitation_chunk(warm_up.name, warm_up.audience_contacts()[:chunk])
	figures, start = [], 1
	for count in groups:
		timed, traced = names[start : start + count], names[start + count : start + 2 * count]
		start += 2 * count
		doc = _survey(timed)
		frappe.db.commit()
		started, cpu = time.perf_counter(), time.process_time()
		for job in _planned(doc):
			module.send_invitation_chunk(doc.name, job["contacts"], job["part"], job["parts"])
		seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
		audience, state = len(doc.audience_contacts()), _send_state(doc.name)

		doc = _survey(traced)
		frappe.db.commit()
		tracemalloc.start()
		queued = _planned(doc)
		planner_peak = tracemalloc.get_traced_memory()[1]
		tracemalloc.stop()
		peaks = []
		for job in queued:
			tracemalloc.start()
			module.send_invitation_chunk(doc.name, job["contacts"], job["part"], job["parts"])
			peaks.append(tracemalloc.get_traced_memory()[1])
			tracemalloc.stop()
		figures.append(
			{
				"audience": audience,
				"invited": state["invitations"],
				"contacts": state["contacts"],
				"mails": state["mails"],
				"traced_invited": frappe.db.count(INVITATION, {"survey": doc.name}),
				"chunks": len(queued),
				"planner_peak_mb": round(planner_peak / 2**20, 2),
				"chunk_peak_mb": round(statistics.median(peaks) / 2**20, 2) if peaks else 0,
				"chunk_max_mb": round(max(peaks) / 2**20, 2) if peaks else 0,
				"seconds": round(seconds, 1),
				"cpu_seconds": round(cpu, 1),  # the worker's own (the database's is not counted)
			}
		)
	return emit({"memory": figures})


def _planned(doc) -> list[dict]:
	"""The chunk jobs a survey's planner queues (kept here instead, to run in this process)."""
	queued = []
	original = frappe.enqueue
	frappe.enqueue = lambda fn, _queued=queued, **kw: _queued.append(kw)
	try:
		doc.send_invitations()
	finally:
		frappe.enqueue = original
	return queued


def queue_send(survey: str, chunk: int = 100) -> dict:
	"""Plan a survey's sending as the Send Now button does: chunk jobs on the real long queue
	(a worker started by the driver runs them)."""
	_as_admin()
	from brm_app.brm_app.doctype.satisfaction_survey import satisfaction_survey as module

	module.SEND_CHUNK = chunk
	planned = frappe.get_doc("Satisfaction Survey", survey).send_invitations()
	return emit({"planned": planned})


class _SmtpSink:
	"""An SMTP server that accepts every message (the mail server once it works again)."""

	def __init__(self):
		import socketserver
		import threading

		self.received = 0
		sink = self

		class Handler(socketserver.StreamRequestHandler):
			def handle(self):
				self.wfile.write(b"220 battery ESMTP\r\n")
				in_data = False
				while line := self.rfile.readline():
					if in_data:
						if line in (b".\r\n", b".\n"):
							in_data = False
							sink.received += 1
							self.wfile.write(b"250 OK\r\n")
						continue
					verb = line[:4].upper()
					if verb == b"DATA":
						in_data = True
						self.wfile.write(b"354 go on\r\n")
					elif verb == b"QUIT":
						self.wfile.write(b"221 bye\r\n")
						return
					elif verb == b"EHLO":
						self.wfile.write(b"250-battery\r\n250 8BITMIME\r\n")
					else:
						self.wfile.write(b"250 OK\r\n")

		self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
		self.server.daemon_threads = True
		self.port = self.server.server_address[1]
		threading.Thread(target=self.server.serve_forever, daemon=True).start()

	def stop(self):
		self.server.shutdown()
		self.server.server_close()


def _closed_port() -> int:
	import socket

	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


def fault_mail(invitations: int = 10) -> dict:
	"""Outgoing mail failing for longer than Frappe's retries: survey invitations and complaint
	e-mails are queued, every attempt fails until Frappe's queue gives up, the hourly
	``retry_failed_mail`` puts them back, and once the server works they all go out."""
	from frappe.email.smtp import SMTPServer

	from brm_app.utils import retry_failed_mail

	_as_admin()
	frappe.flags.mute_emails = False
	frappe.conf.mute_emails = False
	if not frappe.db.exists("Email Account", {"enable_outgoing": 1, "default_outgoing": 1}):
		from brm_app.tests.utils import make_outgoing_email_account

		frappe.flags.in_test = True  # no SMTP check when the account is saved
		make_outgoing_email_account()
		frappe.flags.in_test = False
	names = [_customer(customer_name(i)) for i in range(2)]
	survey = _survey(names)
	for i in range(invitations):
		email = f"{USER_PREFIX}.mail{i:03d}@example.com"
		create_invitation(survey, names[i % 2], _contact(names[i % 2], email), email)
	complaint = frappe.get_doc(
		{
			"doctype": "Complaint",
			"customer": names[0],
			"subject": f"{PREFIX} mail",
			"description": "d",
			"contact_email": f"{USER_PREFIX}.mail-complaint@example.com",
		}
	).insert(ignore_permissions=True)
	frappe.sendmail(
		recipients=[complaint.contact_email],
		subject="Your complaint",
		message="We have your complaint.",
		reference_doctype="Complaint",
		reference_name=complaint.name,
	)
	frappe.db.commit()
	invitations_of = frappe.get_all(INVITATION, filters={"survey": survey.name}, pluck="name")
	queue = frappe.get_all(
		"Email Queue",
		filters=[
			["reference_name", "in", [*invitations_of, complaint.name]],
			["reference_doctype", "in", [INVITATION, "Complaint"]],
		],
		pluck="name",
	)

	def attempt(server) -> None:
		for name in queue:
			try:
				frappe.get_doc("Email Queue", name).send(smtp_server_instance=server)
			except Exception:
				pass  # the queue records the failure itself
			frappe.db.commit()

	down = SMTPServer(server="127.0.0.1", port=_closed_port())
	from frappe.email.doctype.email_queue.email_queue import get_email_retry_limit

	for _ in range(get_email_retry_limit() + 1):
		attempt(down)
	errored = frappe.db.count("Email Queue", {"name": ("in", queue), "status": "Error"})
	requeued = retry_failed_mail()
	frappe.db.commit()
	sink = _SmtpSink()
	try:
		attempt(SMTPServer(server="127.0.0.1", port=sink.port))
	finally:
		sink.stop()
	sent = frappe.db.count("Email Queue", {"name": ("in", queue), "status": "Sent"})
	return emit(
		{
			"queued": len(queue),
			"errored": errored,
			"requeued": requeued,
			"sent": sent,
			"received": sink.received,
			"lost": len(queue) - sent,
		}
	)


def stored(names: list[str]) -> dict:
	"""Subject and description of complaints as stored."""
	_as_admin()
	return emit(
		{
			name: frappe.db.get_value("Complaint", name, ["subject", "description"], as_dict=True)
			for name in names
		}
	)
