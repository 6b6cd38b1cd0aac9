from brm_app.setup.indexes import add_customer_indexes


def execute():
	"""Sites from before the portal: the (customer, date) indexes its lists need."""
	add_customer_indexes()
