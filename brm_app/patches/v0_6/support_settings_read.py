from brm_app.setup.role_permissions import install_staff_permissions


def execute():
	"""Staff roles read Support Settings, which ERPNext's Issue form loads on opening."""
	install_staff_permissions()
