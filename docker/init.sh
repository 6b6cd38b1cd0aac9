#!/usr/bin/env bash
# A development bench with ERPNext, brm_app and the demo, in the container of
# docker/docker-compose.yml or on a bench that already exists (then the bench is not created):
#
#   bash docker/init.sh                                     # in the container (compose runs it)
#   BRM_SITE=brm-demo.localhost BRM_START=0 BENCH_DIR=~/frappe-bench bash docker/init.sh
#
# Each step runs only when its result is missing, so running it again resumes or just starts
# the bench. Settings (environment):
#   BENCH_DIR           the bench (default ~/frappe-bench)
#   BRM_SITE            the site to create (default brm.localhost)
#   BRM_APP_SOURCE      this checkout, linked into the bench (default: the folder above this script)
#   DB_HOST, REDIS_URL  MariaDB host and Redis URL when they run elsewhere (the compose services)
#   DB_ROOT_PASSWORD    MariaDB root password, to create the site (default admin)
#   ADMIN_PASSWORD      the site's Administrator password (default admin)
#   FRAPPE_BRANCH, ERPNEXT_BRANCH   default version-15
#   BRM_START           1: run `bench start` at the end (default: 1 in a container or when this
#                       script created the bench, else 0)
set -euo pipefail

BENCH_DIR="${BENCH_DIR:-$HOME/frappe-bench}"
SITE="${BRM_SITE:-brm.localhost}"
APP_SOURCE="${BRM_APP_SOURCE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
DB_ROOT_PASSWORD="${DB_ROOT_PASSWORD:-admin}"
ADMIN_PASSWORD="${ADMIN_PASSWORD:-admin}"
FRAPPE_BRANCH="${FRAPPE_BRANCH:-version-15}"
ERPNEXT_BRANCH="${ERPNEXT_BRANCH:-version-15}"
say() { printf '\n== %s\n' "$*"; }

if ! command -v bench >/dev/null 2>&1; then
	echo "init.sh: no bench command on PATH (pip install frappe-bench, or use the frappe/bench image)." >&2
	exit 1
fi
[ -f "$APP_SOURCE/brm_app/hooks.py" ] || { echo "init.sh: no brm_app checkout at $APP_SOURCE (set BRM_APP_SOURCE)." >&2; exit 1; }

created_bench=0
if [ -d "$BENCH_DIR/apps/frappe" ]; then
	say "Bench found at $BENCH_DIR: not creating one"
else
	say "Creating a Frappe bench at $BENCH_DIR ($FRAPPE_BRANCH)"
	bench init --skip-redis-config-generation --frappe-branch "$FRAPPE_BRANCH" "$BENCH_DIR"
	created_bench=1
	cd "$BENCH_DIR"
	if [ -n "${DB_HOST:-}" ]; then
		bench set-mariadb-host "$DB_HOST"
	fi
	if [ -n "${REDIS_URL:-}" ]; then
		# Redis runs in its own container: use it, and do not start one from the Procfile.
		bench set-redis-cache-host "$REDIS_URL"
		bench set-redis-queue-host "$REDIS_URL"
		bench set-redis-socketio-host "$REDIS_URL"
		sed -i '/redis/d' Procfile
	fi
	sed -i '/watch/d' Procfile
fi
cd "$BENCH_DIR"

if [ ! -d apps/erpnext ]; then
	say "Getting ERPNext ($ERPNEXT_BRANCH)"
	bench get-app erpnext --branch "$ERPNEXT_BRANCH"
fi
if [ ! -e apps/brm_app ]; then
	say "Linking brm_app from $APP_SOURCE"
	bench get-app --soft-link "$APP_SOURCE"
fi

if [ ! -f "sites/$SITE/site_config.json" ]; then
	say "Creating site $SITE with ERPNext (several minutes)"
	scope=()
	[ -n "${DB_HOST:-}" ] && scope=(--mariadb-user-host-login-scope=%)
	bench new-site "$SITE" --db-root-username root --db-root-password "$DB_ROOT_PASSWORD" \
		--admin-password "$ADMIN_PASSWORD" "${scope[@]}" --install-app erpnext
fi
if ! bench --site "$SITE" list-apps | grep -q '^brm_app'; then
	say "Installing brm_app on $SITE"
	bench --site "$SITE" install-app brm_app
fi
bench --site "$SITE" set-config allow_tests true >/dev/null
bench --site "$SITE" set-config developer_mode 1 >/dev/null
[ "$created_bench" = 1 ] && bench use "$SITE"

say "Demo"
bench --site "$SITE" brm-demo

start="${BRM_START:-}"
if [ -z "$start" ]; then
	start=0
	{ [ "$created_bench" = 1 ] || [ -f /.dockerenv ]; } && start=1
fi
if [ "$start" = 1 ]; then
	say "Starting the bench (Ctrl+C stops it)"
	exec bench start
fi
echo
default_site="$(sed -n 's/.*"default_site": *"\([^"]*\)".*/\1/p' sites/common_site_config.json)"
if [ "$default_site" = "$SITE" ]; then
	echo "Start the bench with: cd $BENCH_DIR && bench start"
else
	# `bench start` (bench serve) serves the bench's default site only.
	echo "This bench serves ${default_site:-its default site} by default. To open $SITE:"
	echo "  cd $BENCH_DIR && bench --site $SITE serve --port 8001   (then http://$SITE:8001)"
	echo "  or make it the default: bench use $SITE"
fi
