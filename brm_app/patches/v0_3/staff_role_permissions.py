from brm_app.setup.role_permissions import install_staff_permissions


def execute():
	"""Sites installed before brm_app granted its staff roles access to ERPNext's Customer,
	Contact, Issue, Opportunity and the other records their work links to."""
	install_staff_permissions()
