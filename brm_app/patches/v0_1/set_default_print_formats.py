from brm_app.setup.install import set_default_print_formats


def execute():
	set_default_print_formats()
