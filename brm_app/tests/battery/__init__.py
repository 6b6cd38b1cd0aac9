"""The reliability battery (issue 12): load over real HTTP, bad input, faults and scale.

``python -m brm_app.tests.battery --bench ~frappe/frappe-bench --site SITE [--light]`` (any Python 3,
standard library only) drives it: it serves the site with gunicorn on a loopback port, sends
the requests, restarts MariaDB or kills a worker for the fault cases, calls ``brm_app.tests.battery.site``
through ``bench execute`` to make and check the data, and prints one table (case, figure,
target, met). ``brm_app.tests.battery.scale`` measures the million-row figures on a scratch site.
"""
