"""Who an e-mailed complaint comes from, and threading subjects (brm_app/rules/intake.py)."""

from brm_app.rules.intake import Sender, identify, with_reference


def test_one_customer_is_the_complaints_customer():
	assert identify({"Northwind": "Ann-Northwind"}) == Sender("Northwind", "Ann-Northwind", False)


def test_portal_user_without_contact_still_gives_the_customer():
	assert identify({"Northwind": None}) == Sender("Northwind", None, False)


def test_unknown_address_waits_for_triage():
	assert identify({}) == Sender(None, None, True)


def test_contact_of_several_customers_is_triaged_but_keeps_the_contact():
	assert identify({"Northwind": "Pat", "Contoso": "Pat"}) == Sender(None, "Pat", True)


def test_several_contacts_of_several_customers_keep_none():
	assert identify({"Northwind": "Pat", "Contoso": "Kim"}) == Sender(None, None, True)


def test_outgoing_subject_carries_the_reference_once():
	assert with_reference("Your complaint: Backups", "CMP-2026-00001") == (
		"Your complaint: Backups (#CMP-2026-00001)"
	)
	already = "Your complaint: Backups (#CMP-2026-00001)"
	assert with_reference(already, "CMP-2026-00001") == already
