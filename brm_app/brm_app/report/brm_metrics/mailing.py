"""BRM Metrics by e-mail (docs/features.md "BRM Metrics": monthly, with quarterly and yearly summaries), to the
recipients in BRM Settings, e.g. the Service Level Manager. Frappe's Auto Email Report has no
quarterly or yearly cadence, so one monthly cron job sends all three."""

import frappe
from frappe import _
from frappe.utils import getdate, today, validate_email_address
from frappe.utils.csvutils import to_csv

from brm_app.rules import metrics as rules


def recipients() -> list[str]:
	raw = frappe.db.get_single_value("BRM Settings", "report_recipients") or ""
	found = [validate_email_address(part.strip()) for part in raw.replace(",", "\n").splitlines()]
	return sorted({email for email in found if email})


def send_metrics_reports(day=None) -> list[str]:
	"""Cron (06:00 on the 1st of each month). Returns the labels of the summaries sent."""
	from brm_app.brm_app.report.brm_metrics.brm_metrics import execute

	to = recipients()
	if not to:
		return []
	sent = []
	for kind, label, start, end in rules.due_summaries(getdate(today() if day is None else day)):
		columns, rows, *_rest = execute({"from_date": start, "to_date": end})
		wanted = [r for r in rows if r["level"] == kind] if kind != "month" else rows
		header = [c["label"] for c in columns]
		table = [[row.get(c["fieldname"]) for c in columns] for row in wanted]
		frappe.sendmail(
			recipients=to,
			subject=_("BRM Metrics ({0}): {1}").format(_(kind), label),
			message=frappe.render_template(
				"brm_app/templates/emails/brm_metrics.html",
				{"label": label, "kind": kind, "header": header, "table": table, "start": start, "end": end},
			),
			attachments=[{"fname": f"brm-metrics-{label}.csv", "fcontent": to_csv([header, *table])}],
		)
		sent.append(label)
	return sent
