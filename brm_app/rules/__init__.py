"""The BRM process rules as plain functions: no ``frappe`` import, unit-tested under tests/."""
