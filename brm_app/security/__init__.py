"""The customer boundary: what a website user (a customer's contact, or a guest) can reach.

brm_app's own portal pages and methods scope every answer by the user's customers
(``brm_app.portal``, ``brm_app.permissions``). Frappe and ERPNext open more doors to every
logged-in user; the modules here close those for brm_app's records:

- ``gate``: every request of a website user or guest that names a brm_app DocType (in the
  path or any argument) is refused unless the method is one the portal uses (deny by default).
- ``satellites``: records that hang off brm_app's records (e-mails, files, tags, shares, ...)
  are not shown to website users through Frappe's generic lists and permission checks.
- ``contacts``: who belongs to a customer is decided by links staff made; a website user
  cannot link a Contact or Address to a customer they do not belong to.
- ``content``: text that looks like JSON is sanitised too (Frappe lets it through).
- ``mail``: a received e-mail joins a complaint only when its sender belongs to it.

``docs/security.md`` maps each control to the test that proves it.
"""
