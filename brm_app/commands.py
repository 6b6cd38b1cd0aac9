# Copyright (c) 2026, brm_app contributors
# For license information, please see license.txt
"""Bench commands of brm_app (Frappe loads ``commands`` from here).

``bench --site SITE brm-demo [--company NAME] [--clear]``: a working demo in one command.
"""

import sys

import click
from frappe.commands import get_site, pass_context


@click.command("brm-demo")
@click.option("--company", help="Company the ERPNext setup wizard creates, when it has not run yet.")
@click.option("--country", default="United Kingdom", show_default=True, help="For the setup wizard.")
@click.option("--currency", default="GBP", show_default=True, help="For the setup wizard.")
@click.option("--timezone", default="Europe/London", show_default=True, help="For the setup wizard.")
@click.option("--clear", is_flag=True, help="Remove exactly the demo records instead.")
@pass_context
def brm_demo(context, company=None, country=None, currency=None, timezone=None, clear=False):
	"""Load the BRM demo: a year of complaints, compliments, surveys and reviews, staff and
	customer logins. Completes the ERPNext setup wizard first when it has not run."""
	import frappe

	site = get_site(context)
	quiet_css_warnings()
	frappe.init(site=site)
	frappe.connect()
	try:
		from brm_app import demo

		if clear:
			removed = demo.clear()
			click.echo(demo.describe_removed(removed))
		else:
			made = demo.run(
				company=company, country=country, currency=currency, timezone=timezone, echo=click.echo
			)
			click.echo(demo.describe(made, site))
	except Exception as e:
		frappe.db.rollback()
		line = one_line(e)
		frappe.db.commit()  # the Error Log one_line wrote
		click.secho(f"brm-demo: {line}", fg="red", err=True)
		sys.exit(1)
	finally:
		frappe.destroy()


def quiet_css_warnings() -> None:
	"""E-mails are inlined with cssutils, which logs every modern CSS property it does not know;
	the demo queues hundreds of them."""
	import logging

	try:
		import cssutils
	except ImportError:
		return
	cssutils.log.setLevel(logging.CRITICAL)


def one_line(error: Exception) -> str:
	"""What went wrong in one readable line: the message a user would see for a validation
	error, otherwise the error and where its details were logged."""
	import frappe
	from frappe.utils import strip_html

	if isinstance(error, frappe.ValidationError | frappe.PermissionError) and str(error).strip():
		return " ".join(strip_html(str(error)).split())
	try:
		log = frappe.log_error(title="brm-demo failed")
		where = f"details in Error Log {log.name}"
	except Exception:
		where = "no Error Log could be written"
	message = " ".join(strip_html(str(error)).split()) or type(error).__name__
	return f"{type(error).__name__}: {message} ({where})"


commands = [brm_demo]
