"""Compliment rules (docs/features.md "Compliment": documented, evaluated and followed through).

Pure Python: no ``frappe`` import.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

NEW = "New"
EVALUATED = "Evaluated"
ACKNOWLEDGED = "Acknowledged"
STATUSES = (NEW, EVALUATED, ACKNOWLEDGED)

ALLOWED_TRANSITIONS = {
	NEW: frozenset({EVALUATED}),
	EVALUATED: frozenset({ACKNOWLEDGED}),
	ACKNOWLEDGED: frozenset(),
}

#: What a compliment can praise: a person with a login, an employee, or a whole team.
PRAISED_TYPES = ("User", "Employee", "Department")

NOT_ALLOWED = "not_allowed"
EVALUATION_REQUIRED = "evaluation_required"
PRAISED_REQUIRED = "praised_required"


def transition_errors(old: str | None, new: str, evaluation: str | None, praised_count: int) -> list[str]:
	if new not in STATUSES:
		return [NOT_ALLOWED]
	if old is None:
		return [] if new == NEW else [NOT_ALLOWED]
	if old == new:
		return []
	if new not in ALLOWED_TRANSITIONS[old]:
		return [NOT_ALLOWED]
	errors = []
	if new in (EVALUATED, ACKNOWLEDGED) and not (evaluation or "").strip():
		errors.append(EVALUATION_REQUIRED)
	if new == ACKNOWLEDGED and praised_count < 1:
		errors.append(PRAISED_REQUIRED)
	return errors


def praised_users(
	praised: Iterable[tuple[str, str]],
	employee_users: Mapping[str, str | None],
	department_users: Mapping[str, Iterable[str]],
) -> list[str]:
	"""The users to tell about a compliment.

	``praised`` holds (type, name) pairs; employees are told through their user account,
	a department through the accounts of its employees. Sorted, without duplicates.
	"""
	users: set[str] = set()
	for kind, name in praised:
		if kind == "User" and name:
			users.add(name)
		elif kind == "Employee" and employee_users.get(name):
			users.add(employee_users[name])
		elif kind == "Department":
			users.update(u for u in department_users.get(name, ()) if u)
	return sorted(users)
