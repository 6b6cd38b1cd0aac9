"""Moving a record to a canonical status through whatever Workflow an administrator configured.

Code never names workflow states or actions (admins rename them in the Workflow UI); it asks
for a canonical status and takes the transition whose next state sets that status.
"""

import frappe
from frappe import _
from frappe.model.workflow import get_transitions, get_workflow, get_workflow_name


def move_to_status(doc, status: str, **values):
	"""Set ``values`` on ``doc`` and move it to ``status`` in one save.

	With an active Workflow, the move must be one of the transitions the current user may
	take from the current state (Frappe checks roles and conditions again on save).
	"""
	doc.update(values)
	if not get_workflow_name(doc.doctype):
		doc.status = status
		doc.save()
		return doc

	workflow = get_workflow(doc.doctype)
	states = {s.state: s for s in workflow.states}
	before = frappe.get_doc(doc.doctype, doc.name)  # transitions are judged on the saved state
	for transition in get_transitions(before, workflow):
		state = states.get(transition.next_state)
		if state and state.update_field == "status" and state.update_value == status:
			doc.set(workflow.workflow_state_field, state.state)
			doc.status = status
			doc.save()
			doc.add_comment("Workflow", _(state.state))
			return doc

	frappe.throw(
		_("{0} {1} cannot be moved to {2} from its current state, or you are not allowed to.").format(
			_(doc.doctype), doc.name, frappe.bold(_(status))
		),
		frappe.PermissionError,
		title=_("Not Allowed"),
	)


def sync_status_from_workflow(doc) -> None:
	"""With an active Workflow, the canonical status follows the workflow state.

	Each state's update field says which status it means, so a status edited by hand cannot
	disagree with the workflow, and an administrator's renamed states still map to the
	statuses the code and reports know. A new record takes the workflow's first state.
	"""
	if not get_workflow_name(doc.doctype):
		return
	workflow = get_workflow(doc.doctype)
	if not workflow.states:
		return
	state = doc.get(workflow.workflow_state_field) or workflow.states[0].state
	for row in workflow.states:
		if row.state == state and row.update_field == "status" and row.update_value:
			doc.status = row.update_value
			return
