"""Frappe Helpdesk (optional). Hooked through doc_events on "HD Ticket", which fire only where
Helpdesk is installed; nothing here imports Helpdesk.

- A ticket reaching Resolved or Closed invites its contact to the transactional survey.
- The customer's rating in Helpdesk (``feedback_rating``, 0 to 1) is that survey's answer on the
  1 to 5 scale: it counts in CSAT and in BRM Metrics' feedback on resolved incidents, and the
  customer is not asked again (no invitation sent, or the open one answered).
- HD Customer ↔ ERPNext Customer: the custom field "ERPNext Customer" on HD Customer (made
  when both apps are installed, removed with brm_app), else the Customer of the same name.
- "Raise complaint" in Helpdesk's agent view: a standard HD Form Script.

One folder: ``mapping`` (names, detection, HD Customer → Customer), ``tickets`` (the survey
hooks), ``setup`` (custom field and form script) and their tests. Removing Helpdesk support is
removing this folder and its lines in hooks.py."""
