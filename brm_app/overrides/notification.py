"""The customer's status e-mails in the customer's language (issue 27).

Frappe renders a Notification in the language of whoever saved the record (a relationship
manager writing in English), so a German customer was told in English. For the notifications
brm_app ships to customers, the e-mail is rendered in the recipient's language instead: the
contact's user's, else the Customer's (ERPNext's Print Language), else the site's. Every other
Notification is Frappe's, unchanged."""

from frappe.email.doctype.notification.notification import Notification

#: The shipped notifications (brm_app/fixtures/notification.json) that write to the customer.
CUSTOMER_NOTIFICATIONS = frozenset(
	{
		"Complaint Acknowledged",
		"Complaint Question for the Customer",
		"Complaint Resolution Proposed",
		"Complaint Closed",
		"Customer Requirement Status",
		"Service Review Shared",
	}
)


class CustomerLanguageNotification(Notification):
	def send_an_email(self, doc, context):
		if self.name not in CUSTOMER_NOTIFICATIONS:
			return super().send_an_email(doc, context)
		from brm_app.portal.translations import in_language, recipient_language

		with in_language(recipient_language(doc.get("contact_email"), doc.get("customer"))):
			return super().send_an_email(doc, context)
