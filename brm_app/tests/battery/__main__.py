"""``python -m brm_app.tests.battery``: the battery's driver (``run.main``)."""

from brm_app.tests.battery.run import main

raise SystemExit(main())
