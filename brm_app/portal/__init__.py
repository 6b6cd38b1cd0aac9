"""The customer portal: what a customer's contact sees and sends.

Every page, list and method here scopes by the session user through one helper,
``brm_app.customers.get_customers_for_user``. The standard permission hooks
(``brm_app.permissions``) hold underneath as a second fence.
"""

from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import cint, escape_html, flt

from brm_app.brm_app.doctype.brm_settings.brm_settings import get_settings
from brm_app.customers import get_customers_for_user, trusted_customer_links
from brm_app.portal.translations import js_messages
from brm_app.rules import portal as rules

# ----------------------------------------------------------------------------- session


def require_login() -> None:
	"""Guests are sent to the login page and back."""
	if frappe.session.user != "Guest":
		return
	path = frappe.local.request.path if getattr(frappe.local, "request", None) else "/"
	query = frappe.local.request.query_string.decode() if getattr(frappe.local, "request", None) else ""
	target = path + (f"?{query}" if query else "")
	frappe.local.flags.redirect_location = f"/login?redirect-to={quote(target)}"
	raise frappe.Redirect


def my_customers() -> list[str]:
	return get_customers_for_user(frappe.session.user)


def customer_choices(customers: list[str]) -> list[dict]:
	"""The user's own customers with their names (nobody else's), for a filter or a form."""
	if not customers:
		return []
	names = dict(
		frappe.get_all(
			"Customer", filters={"name": ("in", customers)}, fields=["name", "customer_name"], as_list=True
		)
	)
	return [{"name": c, "customer_name": names.get(c) or c} for c in customers]


def page_context(context, title: str, parents: list | None = None) -> list[str]:
	"""Common context of the portal pages; returns the user's customers."""
	require_login()
	context.no_cache = 1
	context.show_sidebar = True
	context.title = title
	context.parents = parents or []
	customers = my_customers()
	context.customers = customer_choices(customers)
	context.customer_names = {c["name"]: c["customer_name"] for c in context.customers}
	context.no_customer = not customers
	context.js_messages = safe_json(js_messages())
	return customers


def form_context(context) -> None:
	"""What a portal form shows about attachments and text limits."""
	allowed, max_mb = attachment_limits()
	context.max_mb = max_mb
	context.file_types = ", ".join(sorted(allowed))
	context.limits = {"subject": rules.SUBJECT_MAX, "text": rules.TEXT_MAX, "short": rules.SHORT_TEXT_MAX}


def list_context(context, customers: list[str], load, **args) -> None:
	"""A portal list page: the customer the user chose (one of theirs, else all of theirs), the
	page number, and one page of rows from ``load(customers, page)`` (or ``load(customers, page,
	**args)``); ``context.args`` keeps the choices for the filter and pager links."""
	chosen = frappe.form_dict.get("customer")
	context.selected_customer = chosen if chosen in customers else ""
	context.page = max(1, cint(frappe.form_dict.get("page")))
	context.args = {**args, "customer": context.selected_customer}
	context.rows, context.has_more = (
		load([chosen] if chosen in customers else customers, context.page, **args)
		if customers
		else ([], False)
	)


def get_own(doctype: str, name: str | None, customers: list[str] | None = None):
	"""A record of one of the user's customers; "not found" for anything else (another
	customer's record is indistinguishable from one that does not exist)."""
	customers = my_customers() if customers is None else customers
	if not name or not isinstance(name, str) or not frappe.db.exists(doctype, name):
		raise frappe.DoesNotExistError(_("{0} {1} not found").format(_(doctype), name or ""))
	doc = frappe.get_doc(doctype, name)
	if doc.get("customer") not in customers or not doc.has_permission("read"):
		raise frappe.DoesNotExistError(_("{0} {1} not found").format(_(doctype), name))
	return doc


def customer_for_submission(requested: str | None) -> str:
	"""The customer a new record is filed for; a request naming a customer the user does not
	belong to is refused (nothing is filed)."""
	mine = my_customers()
	if requested and mine and requested not in mine:
		frappe.throw(
			_("You can only send this for your own organisation."),
			frappe.PermissionError,
			title=_("Not Your Organisation"),
		)
	customer = rules.choose_customer(requested, mine)
	if not customer:
		frappe.throw(
			_(
				"Your account is not linked to a customer yet. Please ask your contact person to give you access."
			),
			frappe.PermissionError,
			title=_("No Customer"),
		)
	return customer


def contact_of(user: str, customer: str) -> tuple[str | None, str]:
	"""The user's Contact for a customer (if any) and the e-mail to reach them."""
	links = trusted_customer_links(user=user, customer=customer)
	contact = links[0].contact if links else None
	email = (contact and frappe.db.get_value("Contact", contact, "email_id")) or frappe.db.get_value(
		"User", user, "email"
	)
	return contact, email


# ----------------------------------------------------------------------------- input


def clean_text(value, label: str, limit: int, required: bool = False) -> str:
	"""A text a customer sent, checked (required, length) and stripped."""
	if value is not None and not isinstance(value, str):
		frappe.throw(_("{0} must be text.").format(label), title=_("Check Your Input"))
	error = rules.text_error(value, limit, required)
	if error == rules.REQUIRED:
		frappe.throw(_("Please fill in {0}.").format(label), frappe.MandatoryError, title=_("Missing Value"))
	if error == rules.TOO_LONG:
		frappe.throw(
			_("{0} is too long: at most {1} characters.").format(label, frappe.utils.fmt_money(limit, 0)),
			title=_("Check Your Input"),
		)
	return (value or "").strip()


def future_date(value, label: str):
	"""A date a customer chose (needed by, desired by): a date, not in the past, not more than
	ten years ahead."""
	from frappe.utils import getdate, today

	try:
		chosen = getdate(value) if isinstance(value, str) else None
	except Exception:
		chosen = None
	if not chosen:
		frappe.clear_last_message()  # Frappe's own message repeats the raw input
		frappe.throw(_("{0} must be a date.").format(label), title=_("Check the Date"))
	if chosen < getdate(today()):
		frappe.throw(_("{0} cannot be in the past.").format(label), title=_("Check the Date"))
	if chosen.year > getdate(today()).year + 10:
		frappe.throw(_("{0} is too far ahead.").format(label), title=_("Check the Date"))
	return chosen


def safe_json(value) -> str:
	"""JSON to embed in a page's <script> element (no "</script>" can close it early)."""
	return frappe.as_json(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def as_html(text: str) -> str:
	"""Plain text from a customer, stored in a Text Editor field: escaped, line breaks kept."""
	return "<p>" + escape_html(text).replace("\n", "<br>") + "</p>" if text else ""


def attachment_limits() -> tuple[set[str], float]:
	"""File extensions customers may attach and the largest size in MB (BRM Settings)."""
	settings = get_settings()
	return (
		rules.parse_extensions(settings.portal_file_types or rules.DEFAULT_FILE_TYPES),
		flt(settings.portal_max_attachment_mb or rules.DEFAULT_MAX_ATTACHMENT_MB),
	)


def uploaded_files() -> list:
	"""Files attached to this request (multipart), checked against BRM Settings."""
	request = getattr(frappe.local, "request", None)
	files = [f for f in (request.files.getlist("files") if request and request.files else []) if f.filename]
	if len(files) > rules.MAX_FILES:
		frappe.throw(_("Attach at most {0} files.").format(rules.MAX_FILES), title=_("Too Many Files"))
	allowed, max_mb = attachment_limits()
	max_bytes = int(max_mb * 1024 * 1024)
	checked = []
	for upload in files:
		content = upload.stream.read(max_bytes + 1)
		error = rules.file_error(upload.filename, len(content), allowed, max_bytes)
		if error == rules.FILE_TYPE:
			frappe.throw(
				_("{0}: files of this type cannot be attached. Allowed: {1}.").format(
					escape_html(upload.filename), ", ".join(sorted(allowed))
				),
				title=_("File Not Accepted"),
			)
		if error == rules.FILE_SIZE:
			frappe.throw(
				_("{0} is empty or larger than {1} MB.").format(escape_html(upload.filename), max_mb),
				title=_("File Not Accepted"),
			)
		checked.append((upload.filename, content))
	return checked


def attach_files(doc, files: list) -> list[str]:
	"""Store checked uploads as private files of ``doc``."""
	names = []
	for filename, content in files:
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": filename,
				"attached_to_doctype": doc.doctype,
				"attached_to_name": doc.name,
				"is_private": 1,
				"content": content,
			}
		)
		file.insert(ignore_permissions=True)
		names.append(file.name)
	return names


def file_for_customer(doctype: str, customer: str, values: dict, files: list, process: dict | None = None):
	"""Insert a record a customer's user sends (checked input only), with its customer and the
	user's contact set here, and attach the checked files. ``process``: fields the process
	owns, set here (how it was raised)."""
	contact, email = contact_of(frappe.session.user, customer)
	doc = frappe.get_doc(
		{"doctype": doctype, "customer": customer, "contact": contact, "contact_email": email, **values}
	)
	if process:
		doc.update(process)
		doc.flags.process_update = True
	doc.insert(ignore_permissions=True)
	doc.flags.process_update = False
	attach_files(doc, files)
	return doc


def customer_files(doctype: str, name: str) -> list[dict]:
	"""Files the customer's side attached to a record (staff's working files are not shown)."""
	files = frappe.get_all(
		"File",
		filters={"attached_to_doctype": doctype, "attached_to_name": name},
		fields=["name", "file_name", "file_url", "file_size", "owner", "creation"],
		order_by="creation asc",
	)
	if not files:
		return []
	website_users = set(
		frappe.get_all(
			"User",
			filters={"name": ("in", list({f.owner for f in files})), "user_type": "Website User"},
			pluck="name",
		)
	)
	return [f for f in files if f.owner in website_users]
