"""Composite indexes for the lists a customer (and the desk) reads per customer, newest first.

Without them MariaDB walks the date index of the whole table to find one customer's rows: a
customer with few complaints among 200,000 waited about a second for /complaints
(brm_app/tests/perf/portal.py); with (customer, date) the page's query reads about 30 rows.
"""

import frappe

CUSTOMER_INDEXES = {
	"Complaint": ("customer", "received_on"),
	"Compliment": ("customer", "received_on"),
	"Customer Requirement": ("customer", "raised_on"),
	"Request for Change": ("customer", "raised_on"),
	"Service Performance Review": ("customer", "period_end"),
	"Survey Invitation": ("customer", "responded_on"),
}


def add_customer_index(doctype: str) -> None:
	frappe.db.add_index(doctype, list(CUSTOMER_INDEXES[doctype]))


def add_customer_indexes() -> None:
	for doctype in CUSTOMER_INDEXES:
		add_customer_index(doctype)
