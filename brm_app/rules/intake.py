"""Complaints arriving by e-mail: whom they come from (no frappe import)."""

from dataclasses import dataclass

#: Frappe's own convention for threading an e-mail onto a record: "... (#<name>)" at the end
#: of the subject (frappe.email.receive.InboundMail.get_reference_name_from_subject).
REFERENCE_FORMAT = "{subject} (#{name})"


@dataclass(frozen=True)
class Sender:
	customer: str | None
	contact: str | None
	needs_triage: bool


def identify(found: dict[str, str | None]) -> Sender:
	"""The complaint's customer from the customers an address belongs to ({customer: contact}):
	exactly one → that customer (and its contact); none or several → triage by a person, who
	picks the customer. Several customers keep the contact only when it is the same one."""
	if len(found) == 1:
		((customer, contact),) = found.items()
		return Sender(customer, contact, False)
	contacts = {c for c in found.values() if c}
	return Sender(None, contacts.pop() if len(contacts) == 1 else None, True)


def with_reference(subject: str, name: str) -> str:
	"""An outgoing subject that threads replies onto the record."""
	marker = f"(#{name})"
	return subject if marker in (subject or "") else REFERENCE_FORMAT.format(subject=subject, name=name)
