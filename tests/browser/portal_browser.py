"""Headless-browser test of brm_app's customer portal (not collected by pytest).

It makes its own data on the site (brm_app.tests.ui_fixture, through bench), then,
in headless Chromium as the customer's website user: logs in, finds Complaints in the /me
sidebar, lodges a complaint with an attachment, follows it, rejects a proposed resolution
(first without a reason), answers the question staff then ask (first without an answer;
then with the keyboard), accepts the next one and reads the outcome, gives a compliment, reads the shared
service review and downloads its PDF; then, as a guest with the invitation's link, answers a
satisfaction survey with the keyboard alone (Tab, Space, arrow keys, Enter: no clicks) and
checks the answers were recorded; then, as a user of no customer, reads the explanation.

Accessibility: axe-core (``--axe``, the npm package's axe.min.js) runs on every portal page
the test opens (the survey, /complaints, /complaints/new, a complaint, /service-reviews, ...)
at 1280x800 and at 390x844, with the WCAG 2.0/2.1 A and AA rules; a serious or critical
violation fails that page's step (the rule, its impact and the first elements it found),
the other pages are still checked. Without axe-core the test does not start (exit 2).
One line per step; exit status 0 when every step passed, 1 when one failed, 2 when the
test could not start. The data is removed and the browser closed in any case.

Needs Python 3.10+, selenium (pip install selenium), Chromium and a matching chromedriver.
Run it from the app's checkout, as root (bench commands then run as the bench's owner
through ``su -``) or as the bench's owner. With its own server, in one command (CI)::

	python tests/browser/portal_browser.py --start-server --bench /home/frappe/frappe-bench --site brm-test.localhost --screenshots docs/screenshots

Against a server that is already running::

	python tests/browser/portal_browser.py --base-url http://127.0.0.1:8000 --bench /home/frappe/frappe-bench --site brm-test.localhost

Do not run it while ``bench run-tests`` runs on the same site: the tests' long transactions
and this test's requests wait on each other's locks (deadlocks, lock wait timeouts).

axe-core comes from the npm registry (CI does this)::

	npm install --no-save --prefix .ci/axe axe-core@4

Screenshots (``--screenshots DIR``) are PNGs at 1280x800 (desktop) and 390x844 (phone),
named portal-<page>-desktop.png and portal-<page>-phone.png; a failing step leaves
failure-<step>.png there (or in a temporary folder, whose path is printed).
"""

import argparse
import http.cookiejar
import json
import os
import pwd
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import (
	NoSuchElementException,
	StaleElementReferenceException,
	TimeoutException,
	WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

FIXTURE = "brm_app.tests.ui_fixture"
WAIT = 15  # seconds, the longest any browser wait may take
SERVER_START = 90  # seconds for `bench serve` to answer
DESKTOP = (1280, 800)
PHONE = (390, 844)
NO_CUSTOMER_TEXT = "Your account is not linked to a customer yet."
#: axe.min.js of the npm package axe-core, where CI installs it.
AXE_DEFAULT = Path(__file__).resolve().parents[2] / ".ci/axe/node_modules/axe-core/axe.min.js"
#: WCAG 2.1 AA: the rules of these axe-core tags run.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
#: Violations of these impacts fail a page; lesser ones are printed as notes.
AXE_FAILING = ("serious", "critical")


class StepFailed(Exception):
	pass


def check(condition, message: str) -> None:
	if not condition:
		raise StepFailed(message)


# ----------------------------------------------------------------------------- bench


class Bench:
	"""bench commands on the site, as the bench's owner (through ``su -`` when run as root)."""

	def __init__(self, path: str, site: str):
		self.path = str(Path(path).resolve())
		self.site = site
		if not Path(self.path, "sites", site).is_dir():
			print(f"error: no site {site} in {self.path}/sites", file=sys.stderr)
			raise SystemExit(2)
		self.owner = pwd.getpwuid(os.stat(self.path).st_uid).pw_name
		self.as_other_user = os.geteuid() == 0 and self.owner != "root"

	def command(self, script: str) -> list[str]:
		"""A shell script run in the bench folder as the bench's owner."""
		script = f"cd {shlex.quote(self.path)} && {script}"
		if self.as_other_user:
			return ["su", "-", self.owner, "-c", script]
		return ["bash", "-c", script]

	def bench(self, *args: str) -> str:
		return shlex.join(["bench", "--site", self.site, *args])

	def execute(self, function: str, **kwargs) -> dict:
		"""Run a fixture function; it returns a dict, which bench prints as a JSON line."""
		args = ["execute", f"{FIXTURE}.{function}"]
		if kwargs:
			args += ["--kwargs", json.dumps(kwargs)]
		for attempt in range(3):
			result = subprocess.run(
				self.command(self.bench(*args)),
				capture_output=True,
				text=True,
				timeout=300,
				stdin=subprocess.DEVNULL,
			)
			output = result.stdout + result.stderr
			if result.returncode == 0:
				for line in reversed(result.stdout.splitlines()):
					with suppress(ValueError):
						value = json.loads(line)
						if isinstance(value, dict):
							return value
				raise StepFailed(f"bench execute {function} printed no JSON:\n{tail(output)}")
			if ("Deadlock found" not in output and "Lock wait timeout" not in output) or attempt == 2:
				break
			time.sleep(2 + 3 * attempt)  # a lock held by another process on the site: try again
		raise StepFailed(
			f"bench execute {function} failed (exit {result.returncode}):\n{bench_error(output)}"
		)


def tail(text: str, lines: int = 25) -> str:
	return "\n".join("    " + line for line in text.strip().splitlines()[-lines:])


def bench_error(output: str) -> str:
	"""The exceptions in a failed bench command's output, then its last lines.

	``bench execute`` retries a failed call with eval(), which fails with a NameError that
	hides the real exception; the first exception lines are the ones that tell."""
	lines = [line for line in output.splitlines() if not line.startswith("'Error in query")]
	errors = [line for line in lines if re.match(r"^[A-Za-z_][\w.]*(Error|Exception)\b.*:", line)]
	return tail("\n".join(errors[:5]), 5) + "\n    ...\n" + tail("\n".join(lines), 12)


class Server:
	"""`bench --site SITE serve` on a free port, started and stopped by this script."""

	def __init__(self, bench: Bench):
		self.bench = bench
		self.port = free_port()
		self.url = f"http://127.0.0.1:{self.port}"
		self.log = Path(tempfile.mkstemp(prefix="brm-portal-serve-", suffix=".log")[1])
		self.process = None
		self.pid = None

	def start(self) -> None:
		script = "echo $$ && exec " + self.bench.bench("serve", "--port", str(self.port), "--noreload")
		with self.log.open("wb") as log:
			self.process = subprocess.Popen(
				self.bench.command(script),
				stdout=log,
				stderr=subprocess.STDOUT,
				stdin=subprocess.DEVNULL,
				start_new_session=True,
			)
		deadline = time.monotonic() + SERVER_START
		while time.monotonic() < deadline:
			if self.pid is None:  # the shell's `echo $$`: the server's pid once it has exec'd
				lines = self.log.read_text(errors="replace").splitlines()
				self.pid = next((int(line) for line in lines if line.strip().isdigit()), None)
			if self.process.poll() is not None:
				raise StepFailed(f"bench serve exited ({self.process.returncode}):\n{self.log_tail()}")
			if http_status(f"{self.url}/api/method/ping") == 200:
				return
			time.sleep(0.25)
		raise StepFailed(
			f"bench serve did not answer on port {self.port} in {SERVER_START} s:\n{self.log_tail()}"
		)

	def stop(self) -> None:
		"""Stop the server process this script started (its pid), then the su/bash around it."""
		if self.pid:
			with suppress(ProcessLookupError):
				os.kill(self.pid, signal.SIGTERM)
			if not wait_gone(self.pid, 10):
				with suppress(ProcessLookupError):
					os.kill(self.pid, signal.SIGKILL)
				wait_gone(self.pid, 5)
		if self.process and self.process.poll() is None:
			self.process.terminate()
			try:
				self.process.wait(10)
			except subprocess.TimeoutExpired:
				self.process.kill()
				self.process.wait(5)

	def log_tail(self) -> str:
		return tail(self.log.read_text(errors="replace"))


def free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


def wait_gone(pid: int, seconds: float) -> bool:
	deadline = time.monotonic() + seconds
	while time.monotonic() < deadline:
		try:
			os.kill(pid, 0)
		except ProcessLookupError:
			return True
		with suppress(ChildProcessError):
			os.waitpid(pid, os.WNOHANG)
		time.sleep(0.1)
	return False


def http_status(url: str) -> int | None:
	try:
		with urllib.request.urlopen(url, timeout=5) as response:
			return response.status
	except urllib.error.HTTPError as e:
		return e.code
	except (urllib.error.URLError, OSError):
		return None


# ----------------------------------------------------------------------------- browser


def make_driver(chromium: str | None) -> webdriver.Chrome:
	options = webdriver.ChromeOptions()
	if chromium:
		options.binary_location = chromium
	for arg in (
		"--headless=new",
		"--no-sandbox",
		"--disable-dev-shm-usage",
		"--disable-gpu",
		f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
		"--lang=en-US",
		"--hide-scrollbars",
	):
		options.add_argument(arg)
	options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
	driver_path = shutil.which("chromedriver")
	service = Service(driver_path) if driver_path else Service()
	driver = webdriver.Chrome(service=service, options=options)
	driver.set_page_load_timeout(30)
	return driver


class PortalTest:
	def __init__(self, args, bench: Bench):
		self.args = args
		self.bench = bench
		self.base = args.base_url.rstrip("/") if args.base_url else None
		self.driver = None
		self.number = 0
		self.data: dict = {}
		self.shots = Path(args.screenshots).resolve() if args.screenshots else None
		self.upload_dir = None
		self.token = secrets.token_hex(3)
		self.password = f"Bt-{secrets.token_urlsafe(12)}-9!"
		self.console: list[str] = []
		self.axe_source = args.axe_source
		#: Steps that failed without stopping the test (accessibility checks).
		self.soft_failures: list[str] = []

	# ------------------------------------------------------------------ helpers

	@contextmanager
	def step(self, title: str, soft: bool = False):
		"""One numbered step; ``soft``: a failure is reported and counted, the test goes on."""
		self.number += 1
		started = time.monotonic()
		try:
			yield
		except Exception as e:
			message = str(e).strip() or type(e).__name__
			if isinstance(e, WebDriverException):
				message = (e.msg or type(e).__name__).strip().splitlines()[0]
			print(f"FAIL {self.number:2d} {title}: {message}", flush=True)
			self.failure_screenshot(page_text=not soft)
			if soft and not isinstance(e, WebDriverException):
				self.soft_failures.append(title)
				return
			raise StepFailed(title) from e
		print(f"ok   {self.number:2d} {title} ({time.monotonic() - started:.1f} s)", flush=True)

	def failure_screenshot(self, page_text: bool = True) -> None:
		if not self.driver:
			return
		with suppress(Exception):
			folder = self.shots or Path(tempfile.mkdtemp(prefix="brm-portal-browser-"))
			folder.mkdir(parents=True, exist_ok=True)
			path = folder / f"failure-{self.number:02d}.png"
			self.driver.save_screenshot(str(path))
			print(f"     page {self.driver.current_url}; screenshot {path}", flush=True)
			if not page_text:
				return
			text = self.driver.find_element(By.TAG_NAME, "body").text
			print(tail(text, 15), flush=True)

	def open(self, route: str) -> None:
		self.driver.get(self.base + route)
		self.wait(lambda d: d.execute_script("return document.readyState") == "complete", f"{route} to load")
		self.collect_console(route)
		title = self.driver.title.lower()
		check("not found" not in title and "error" not in title, f"{route} answered '{self.driver.title}'")

	def wait(self, condition, what: str, seconds: float = WAIT):
		return WebDriverWait(
			self.driver,
			seconds,
			poll_frequency=0.1,
			ignored_exceptions=(NoSuchElementException, StaleElementReferenceException),
		).until(condition, message=f"waited {seconds} s for {what}")

	def visible(self, css: str, what: str | None = None):
		return self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, css)), what or css)

	def text(self, css: str) -> str:
		"""An element's text, read again if the page replaced the element meanwhile."""
		for _attempt in range(3):
			with suppress(StaleElementReferenceException):
				return self.driver.find_element(By.CSS_SELECTOR, css).text.strip()
		return self.driver.find_element(By.CSS_SELECTOR, css).text.strip()

	def body_text(self) -> str:
		return self.driver.find_element(By.TAG_NAME, "body").text

	def badge(self) -> str:
		return self.text(".brm-portal .brm-meta .brm-badge")

	def expect_status(self, expected: str) -> None:
		"""The status badge shows ``expected`` (waiting for a reload to settle)."""
		with suppress(TimeoutException):
			self.wait(lambda d: self.badge() == expected, f"the status '{expected}'")
		shown = self.badge()
		check(shown == expected, f"status shown is '{shown}', expected '{expected}'")

	def collect_console(self, route: str) -> None:
		with suppress(Exception):
			for entry in self.driver.get_log("browser"):
				message = entry.get("message", "")
				if entry.get("level") == "SEVERE" and "socket.io" not in message:
					self.console.append(f"{route}: {message[:300]}")

	def settle(self) -> None:
		"""Two animation frames: the layout after a resize or an update is painted."""
		self.driver.execute_async_script(
			"const done = arguments[arguments.length - 1];"
			"requestAnimationFrame(() => requestAnimationFrame(() => done()));"
		)

	def screenshot(self, name: str, phone_menu: bool = False) -> None:
		"""The page at desktop and phone size (viewport only), back at desktop size after;
		``phone_menu``: at phone size with the navbar's menu (the sidebar's links) open."""
		if not self.shots:
			return
		self.shots.mkdir(parents=True, exist_ok=True)
		for label, (width, height), mobile in (("desktop", DESKTOP, False), ("phone", PHONE, True)):
			self.driver.execute_cdp_cmd(
				"Emulation.setDeviceMetricsOverride",
				{"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
			)
			self.driver.execute_script("window.scrollTo(0, 0)")
			self.settle()
			if mobile and phone_menu:
				self.open_phone_menu()
			self.driver.save_screenshot(str(self.shots / f"portal-{name}-{label}.png"))
		if phone_menu:
			self.driver.refresh()
			self.wait(lambda d: d.execute_script("return document.readyState") == "complete", "the reload")
		self.driver.execute_cdp_cmd(
			"Emulation.setDeviceMetricsOverride",
			{"width": DESKTOP[0], "height": DESKTOP[1], "deviceScaleFactor": 1, "mobile": False},
		)
		self.settle()

	def open_phone_menu(self) -> None:
		"""Open the navbar's collapsed menu and wait for Bootstrap's animation to finish."""
		self.driver.find_element(By.CSS_SELECTOR, ".navbar-toggler").click()
		self.wait(
			lambda d: d.execute_script(
				"const m = document.querySelector('.navbar-collapse');"
				"return !!m && m.classList.contains('show') && !m.classList.contains('collapsing');"
			),
			"the phone menu to open",
		)
		links = [a.text.strip() for a in self.driver.find_elements(By.CSS_SELECTOR, ".navbar-collapse a")]
		check("Complaints" in links, f"the phone menu has no Complaints link: {links}")

	def fixture(self, function: str, **kwargs) -> dict:
		return self.bench.execute(function, **kwargs)

	def viewport(self, size: tuple[int, int], mobile: bool = False) -> None:
		self.driver.execute_cdp_cmd(
			"Emulation.setDeviceMetricsOverride",
			{"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": mobile},
		)
		self.settle()

	# ------------------------------------------------------------------ accessibility

	def audit(self, page: str, enforce: bool = True) -> None:
		"""axe-core on the page as it is now, at desktop and at phone size (a soft step: a
		failing page is reported with its violations and the test goes on). ``enforce``
		False: the violations are only printed (a page of Frappe's own, not brm_app's)."""
		title = f"axe-core: {page} at {DESKTOP[0]} and {PHONE[0]} px"
		with self.step(title if enforce else f"{title} (Frappe's page: reported only)", soft=True):
			failing, notes = [], []
			try:
				for size, mobile in ((DESKTOP, False), (PHONE, True)):
					self.viewport(size, mobile)
					for v in self.axe_violations():
						nodes = "; ".join(" ".join(n["target"]) for n in v["nodes"][:3])
						more = f" (+{len(v['nodes']) - 3} more)" if len(v["nodes"]) > 3 else ""
						line = f"{size[0]}px {v['id']} ({v['impact']}): {v['help']} at {nodes}{more}"
						(failing if v["impact"] in AXE_FAILING else notes).append(line)
			finally:
				self.viewport(DESKTOP)
			if not enforce:
				notes, failing = failing + notes, []
			for line in notes:
				print(f"     note: {line}", flush=True)
			check(
				not failing,
				f"{len(failing)} serious or critical violations:\n"
				+ "\n".join(f"     {line}" for line in failing),
			)

	def axe_violations(self) -> list[dict]:
		"""axe.run with the WCAG 2.1 A/AA tags; each violation with its first nodes' targets."""
		if not self.driver.execute_script("return typeof window.axe === 'object'"):
			self.driver.execute_script(self.axe_source)
		result = self.driver.execute_async_script(
			"""
			const done = arguments[arguments.length - 1];
			axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
				.then((r) => done({violations: r.violations.map((v) => ({
					id: v.id, impact: v.impact, help: v.help,
					nodes: v.nodes.slice(0, 5).map((n) => ({target: n.target.map(String)})),
				}))}))
				.catch((e) => done({error: String(e)}));
			""",
			list(AXE_TAGS),
		)
		check(not result.get("error"), f"axe.run failed: {result.get('error')}")
		return result["violations"]

	def press(self, *keys: str) -> None:
		"""Keys typed into the focused element, as a keyboard would (no element is clicked)."""
		ActionChains(self.driver).send_keys(*keys).perform()

	def focused(self) -> dict:
		"""The focused element: what it is, and whether its focus is visible (an outline or a
		focus shadow on it or on the label around it)."""
		return self.driver.execute_script(
			"""
			const el = document.activeElement;
			const shows = (node) => {
				if (!node) return false;
				const s = getComputedStyle(node);
				const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
				return outline || (s.boxShadow && s.boxShadow !== "none");
			};
			return {
				tag: el.tagName.toLowerCase(), type: el.type || "", name: el.name || "",
				value: el.value || "", checked: !!el.checked,
				in_form: !!el.closest("#brm-survey-form"),
				question: (el.closest(".brm-question") || {dataset: {}}).dataset.key || "",
				visible_focus: shows(el) || shows(el.closest("label")),
			};
			"""
		)

	# ------------------------------------------------------------------ the test

	def run(self) -> None:
		with self.step(f"the site answers at {self.base}"):
			status = http_status(f"{self.base}/api/method/ping")
			check(status == 200, f"{self.base}/api/method/ping answered {status or 'nothing'}")
		with self.step("remove data a previous run left"):
			self.fixture("remove")
		with self.step("make the test's customer, users and shared service review"):
			self.data = self.fixture("setup", password=self.password)
			check(self.data.get("review"), f"no review in {self.data}")
		with self.step("start headless Chromium"):
			self.driver = make_driver(self.args.chromium)
			self.driver.execute_cdp_cmd(
				"Emulation.setDeviceMetricsOverride",
				{"width": DESKTOP[0], "height": DESKTOP[1], "deviceScaleFactor": 1, "mobile": False},
			)

		user = self.data["user"]
		with self.step(f"log in as the customer's user {user}"):
			self.login(user)
		with self.step("/me lists Complaints in the sidebar"):
			self.check_me()
		self.audit("/me", enforce=False)  # Frappe's own page; brm_app adds its menu items only
		for route, form in (
			("/complaints/new", "#brm-complaint-form"),
			("/compliments/new", "#brm-compliment-form"),
			("/changes/new", "#brm-change-form"),
			("/requirements/new", "#brm-requirement-form"),
		):
			with self.step(f"{route} shows its form"):
				self.open(route)
				self.visible(form)
			self.audit(route)
		with self.step("lodge a complaint with an attachment at /complaints/new"):
			complaint = self.lodge_complaint()
		with self.step(f"/complaints lists {complaint}"):
			self.check_list(complaint)
		self.audit("/complaints")
		with self.step(f"/complaints/{complaint} shows the complaint and its attachment"):
			self.open(f"/complaints/{complaint}")
			self.visible("#brm-record[data-name]")
			check(self.subject in self.body_text(), "the subject is not on the page")
			files = [a.text for a in self.driver.find_elements(By.CSS_SELECTOR, ".brm-files a")]
			check(
				self.attachment.name in files,
				f"attachment {self.attachment.name} not listed (files: {files})",
			)
			self.expect_status("Received")
		self.audit(f"/complaints/{complaint}")
		with self.step("staff propose a resolution (fixture)"):
			result = self.fixture("propose", complaint=complaint, resolution=self.resolution(1))
			check(result.get("status") == "Resolution Proposed", f"status after proposing: {result}")
		with self.step("the complaint page offers Accept and Reject"):
			self.open_proposed(complaint, self.resolution(1))
			self.screenshot("complaint-proposed")
		self.audit(f"/complaints/{complaint} (Accept or Reject)")
		with self.step("Reject without a reason shows an error and changes nothing"):
			self.reject_without_reason(complaint)
			self.driver.find_element(By.ID, "brm-reject-open").click()
			self.driver.find_element(By.CSS_SELECTOR, "#brm-reject-form button[type=submit]").click()
			self.visible("#brm-respond-errors", "the error message again")
		self.audit(f"/complaints/{complaint} (the reason's error shown)")
		with self.step("reload the proposed resolution"):
			self.open_proposed(complaint, self.resolution(1))
		with self.step("Reject with a reason: back under investigation"):
			self.reject_with_reason(complaint)
		with self.step("staff ask the customer a question (fixture)"):
			result = self.fixture("ask", complaint=complaint, question=self.QUESTION)
			check(result.get("status") == "Waiting for Customer", f"status after asking: {result}")
		with self.step("the complaint page shows the question and a form to answer it"):
			self.open_question(complaint)
			self.screenshot("complaint-question")
		self.audit(f"/complaints/{complaint} (a question to answer)")
		with self.step("Send without an answer: the error is shown, takes the focus, changes nothing"):
			self.answer_empty(complaint)
		self.audit(f"/complaints/{complaint} (the answer's error shown)")
		with self.step("answer the question with the keyboard: back under investigation, the answer shown"):
			self.open_question(complaint)
			self.answer_question_by_keyboard(complaint)
		with self.step("staff propose a second resolution (fixture)"):
			result = self.fixture("propose", complaint=complaint, resolution=self.resolution(2))
			check(result.get("status") == "Resolution Proposed", f"status after proposing: {result}")
		with self.step("Accept: the complaint shows Closed"):
			self.accept(complaint)
		with self.step("give a compliment at /compliments/new"):
			self.give_compliment()
		with self.step("/compliments lists the compliment"):
			self.open("/compliments")
			check(self.driver.find_elements(By.CSS_SELECTOR, "a.brm-row"), "no compliment listed")
		self.audit("/compliments")
		with self.step("raise a request for change at /changes/new"):
			change = self.raise_change()
		with self.step(f"/changes lists {change}"):
			self.open("/changes")
			rows = self.driver.find_elements(By.CSS_SELECTOR, f'a.brm-row[href="/changes/{change}"]')
			check(rows, f"no row links to /changes/{change}")
			self.screenshot("changes")
		self.audit("/changes")
		with self.step("staff ask the customer a question (fixture)"):
			result = self.fixture("advance_change", change=change, to="question")
			check(result.get("status") == "Information Needed", f"status after asking: {result}")
			self.open(f"/changes/{change}")
			self.visible("#brm-answer-form")
		self.audit(f"/changes/{change} (a question to answer)")
		with self.step("the customer answers the question on the page"):
			self.answer_change(change)
		with self.step("the change is implemented (fixture); the customer confirms it on the page"):
			result = self.fixture("advance_change", change=change, to="implemented")
			check(result.get("status") == "Implemented", f"status after implementing: {result}")
			self.confirm_change(change)
		with self.step("an incident hits the customer's service (fixture): banner and incident page"):
			result = self.fixture("start_incident")
			check(result.get("affected"), f"nobody affected: {result}")
			self.check_incident(result["incident"])
		self.audit(f"/incidents/{result['incident']}")
		with self.step("/requirements answers"):
			self.open("/requirements")
		self.audit("/requirements")
		with self.step("/service-reviews lists the shared review"):
			self.open("/service-reviews")
			review = self.data["review"]
			links = self.driver.find_elements(By.CSS_SELECTOR, f'a.brm-row[href="/service-reviews/{review}"]')
			check(links, f"no link to /service-reviews/{review}")
		self.audit("/service-reviews")
		with self.step(f"/service-reviews/{review} shows minutes and action items"):
			self.check_review(review)
		self.audit(f"/service-reviews/{review}")
		with self.step("the review's PDF answers 200 application/pdf"):
			self.check_pdf()
		with self.step("an open survey invitation for the customer's contact (fixture)"):
			survey = self.fixture("open_survey")
			check(survey.get("token"), f"no token in {survey}")
		with self.step("/survey lists the open survey"):
			self.open("/survey")
			links = [
				a.get_attribute("href") for a in self.driver.find_elements(By.CSS_SELECTOR, ".brm-survey a")
			]
			check(any(survey["token"] in (href or "") for href in links), f"no link with the token: {links}")
		self.audit("/survey (open surveys)")
		with self.step("log out"):
			self.logout()
		with self.step("as a guest, the invitation's link /survey?token=… shows the survey"):
			self.open(f"/survey?token={survey['token']}")
			self.visible("#brm-survey-form")
			self.screenshot("survey")
		self.audit("/survey?token=…")
		with self.step("send the survey unanswered: the error is shown and takes the focus"):
			self.send_survey_unanswered()
		self.audit("/survey?token=… (the error shown)")
		with self.step("answer the survey with the keyboard alone (Tab, Space, arrow keys, Enter)"):
			self.open(f"/survey?token={survey['token']}")
			self.answer_survey_by_keyboard()
		with self.step("the survey's answers were recorded as given"):
			self.check_survey_answers(survey["invitation"])
		with self.step(
			"the e-mail's opt-out link /survey_preferences?token=… asks before it changes anything"
		):
			self.open(f"/survey_preferences?token={survey['token']}")
			self.visible("#brm-preference-form button[type=submit]")
		self.audit("/survey_preferences?token=…")
		with self.step("unsubscribe from surveys, then ask to be asked again"):
			self.driver.find_element(By.CSS_SELECTOR, "#brm-preference-form button[type=submit]").click()
			self.wait(
				lambda d: "not be asked" in d.find_element(By.ID, "brm-preference-message").text,
				"the opt-out confirmed",
			)
			self.visible("#brm-preference-again").click()
			self.wait(
				lambda d: "again" in d.find_element(By.ID, "brm-preference-message").text,
				"the opt-in confirmed",
			)

		none_user = self.data["none_user"]
		with self.step(f"log in as {none_user} (no customer)"):
			self.login(none_user)
		with self.step("the no-customer user reads why nothing is shown"):
			self.open("/complaints")
			notice = self.visible(".brm-portal .brm-empty").text
			check(NO_CUSTOMER_TEXT in notice, f"explanation missing; the page says: {notice[:200]}")
			check(
				not self.driver.find_elements(By.CSS_SELECTOR, 'a[href="/complaints/new"]'),
				"'Lodge a Complaint' is offered to a user of no customer",
			)
			self.screenshot("no-customer")
		self.audit("/complaints (no customer)")

	def login(self, user: str) -> None:
		self.driver.delete_all_cookies()
		self.open("/login?redirect-to=/me")
		self.visible("#login_email").send_keys(user)
		password = self.driver.find_element(By.ID, "login_password")
		password.send_keys(self.password)
		password.send_keys(Keys.ENTER)
		self.wait(lambda d: "/login" not in d.current_url, "the login to redirect")
		cookies = {c["name"]: c["value"] for c in self.driver.get_cookies()}
		check(
			urllib.parse.unquote(cookies.get("user_id", "")) == user,
			f"logged in as {cookies.get('user_id')!r}",
		)

	def logout(self) -> None:
		self.open("/api/method/web_logout")
		cookies = {c["name"]: c["value"] for c in self.driver.get_cookies()}
		check(cookies.get("user_id", "Guest") == "Guest", f"still logged in as {cookies.get('user_id')}")

	def check_me(self) -> None:
		self.open("/me")
		self.wait(
			lambda d: [
				a
				for a in d.find_elements(By.CSS_SELECTOR, 'a[href="/complaints"]')
				if a.text.strip() == "Complaints"
			],
			"a 'Complaints' link to /complaints",
		)
		self.screenshot("me", phone_menu=True)

	@property
	def subject(self) -> str:
		return f"Maintenance not announced (browser test {self.token})"

	def resolution(self, n: int) -> str:
		return (
			f"Proposal {n}: we credit one month of the hosting fee and announce maintenance "
			"a week ahead from now on."
		)

	def lodge_complaint(self) -> str:
		self.open("/complaints/new")
		form = self.visible("#brm-complaint-form")
		self.screenshot("complaints-new")
		form.find_element(By.ID, "brm-subject").send_keys(self.subject)
		Select(form.find_element(By.ID, "brm-service")).select_by_value(self.data["service"])
		form.find_element(By.ID, "brm-description").send_keys(
			"The hosting platform was down for two hours on Tuesday morning.\n"
			"Nobody told us in advance; our shop was offline."
		)
		form.find_element(By.ID, "brm-remedy").send_keys("Announce maintenance a week ahead.")
		self.upload_dir = Path(tempfile.mkdtemp(prefix="brm-portal-upload-"))
		self.attachment = self.upload_dir / f"outage-log-{self.token}.txt"
		self.attachment.write_text("09:02 site down\n11:05 site up\n")
		form.find_element(By.ID, "brm-files").send_keys(str(self.attachment))
		form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
		self.wait_answer("brm-done", "brm-errors")
		reference = self.text("#brm-done-ref")
		check(re.fullmatch(r"[A-Z]+-\d{4}-\d+", reference), f"reference shown is '{reference}'")
		acknowledge = self.text("#brm-done-ack")
		check(
			acknowledge.startswith("We will acknowledge it by ") and re.search(r"\d", acknowledge),
			f"acknowledge-by text is '{acknowledge}'",
		)
		link = self.driver.find_element(By.ID, "brm-done-link").get_attribute("href")
		check(link.endswith(f"/complaints/{reference}"), f"'Follow it' links to {link}")
		print(f"     {reference}: {acknowledge}", flush=True)
		return reference

	def check_list(self, complaint: str) -> None:
		self.open("/complaints")
		rows = self.driver.find_elements(By.CSS_SELECTOR, f'a.brm-row[href="/complaints/{complaint}"]')
		check(rows, f"no row links to /complaints/{complaint}")
		check(self.subject in rows[0].text, f"the row shows '{rows[0].text}'")
		self.screenshot("complaints")

	def open_proposed(self, complaint: str, resolution: str) -> None:
		self.open(f"/complaints/{complaint}")
		card = self.visible("#brm-respond", "the proposed resolution with Accept and Reject")
		check(resolution in card.text, f"the proposed resolution is not shown: {card.text[:200]}")
		check(self.driver.find_element(By.ID, "brm-accept").is_displayed(), "no Accept button")
		check(self.driver.find_element(By.ID, "brm-reject-open").is_displayed(), "no Reject button")
		self.expect_status("Awaiting your response")

	def reject_without_reason(self, complaint: str) -> None:
		before = self.badge()
		self.driver.find_element(By.ID, "brm-reject-open").click()
		self.visible("#brm-reject-form")
		check(self.driver.find_element(By.ID, "brm-reason").get_attribute("value") == "", "reason not empty")
		self.driver.find_element(By.CSS_SELECTOR, "#brm-reject-form button[type=submit]").click()
		error = self.visible("#brm-respond-errors", "an error message").text
		check(error, "the error message is empty")
		print(f"     error shown: {error}", flush=True)
		with suppress(Exception):
			self.driver.get_log("browser")  # the expected 417 of the refused request, not a finding
		self.expect_status(before)
		stored = self.fixture("status", complaint=complaint)["status"]
		check(stored == "Resolution Proposed", f"stored status is '{stored}'")
		self.open_proposed(complaint, self.resolution(1))

	def reject_with_reason(self, complaint: str) -> None:
		self.driver.find_element(By.ID, "brm-reject-open").click()
		self.visible("#brm-reason").send_keys("A credit does not help; we need notice before maintenance.")
		old_page = self.driver.find_element(By.TAG_NAME, "html")
		self.driver.find_element(By.CSS_SELECTOR, "#brm-reject-form button[type=submit]").click()
		self.wait_reload(old_page, "#brm-respond-errors")
		self.visible("#brm-record[data-name]")
		self.expect_status("Being investigated")
		check(not self.driver.find_elements(By.ID, "brm-respond"), "Accept/Reject still offered")
		stored = self.fixture("status", complaint=complaint)["status"]
		check(stored == "Investigating", f"stored status is '{stored}'")

	QUESTION = "Which of your shops were offline, and from when to when?"
	ANSWER = "Both shops, Leeds and York, from 09:02 to 11:05."

	def open_question(self, complaint: str) -> None:
		self.open(f"/complaints/{complaint}")
		form = self.visible("#brm-question-form", "the question and the answer form")
		check(self.QUESTION in form.text, f"the question is not shown: {form.text[:200]}")
		check("We asked you:" in form.text, f"no 'We asked you:' heading: {form.text[:200]}")
		label = self.driver.find_element(By.CSS_SELECTOR, 'label[for="brm-question-answer"]').text
		check(label.startswith("Your answer"), f"the answer's label is '{label}'")
		self.expect_status("Waiting for your answer")
		tone = self.driver.find_element(By.CSS_SELECTOR, ".brm-portal .brm-meta .brm-badge")
		check("action" in tone.get_attribute("class"), "the badge does not look like 'action needed'")

	def answer_empty(self, complaint: str) -> None:
		self.driver.find_element(By.CSS_SELECTOR, "#brm-question-form button[type=submit]").click()
		self.expect_focused_error("brm-question-errors", "Please write your answer")
		stored = self.fixture("status", complaint=complaint)
		check(stored["status"] == "Waiting for Customer", f"stored status is '{stored['status']}'")
		check(not (stored.get("pause") or {}).get("answer"), f"an answer was stored: {stored}")

	def answer_question_by_keyboard(self, complaint: str) -> None:
		"""Into the answer's text box by its label, typing, Tab to Send, Enter."""
		self.driver.find_element(By.CSS_SELECTOR, 'label[for="brm-question-answer"]').click()
		check(
			self.driver.execute_script("return document.activeElement.id") == "brm-question-answer",
			"the label did not put the focus in the answer",
		)
		self.press(self.ANSWER)
		self.press(Keys.TAB)
		now = self.focused()
		check(now["tag"] == "button" and now["type"] == "submit", f"Tab went to {now}, not Send")
		check(now["visible_focus"], "the focus on Send is not visible")
		old_page = self.driver.find_element(By.TAG_NAME, "html")
		self.press(Keys.ENTER)
		self.wait_reload(old_page, "#brm-question-errors")
		self.visible("#brm-record[data-name]")
		self.expect_status("Being investigated")
		check(not self.driver.find_elements(By.ID, "brm-question-form"), "the question is still asked")
		messages = [m.text for m in self.driver.find_elements(By.CSS_SELECTOR, ".brm-message")]
		check(any(self.ANSWER in m for m in messages), f"the answer is not among the messages: {messages}")
		stored = self.fixture("status", complaint=complaint)
		check(stored["status"] == "Investigating", f"stored status is '{stored['status']}'")
		pause = stored.get("pause") or {}
		check(
			(pause.get("answer"), pause.get("resumed_by")) == (self.ANSWER, "Customer"),
			f"the pause stored is {pause}",
		)

	def accept(self, complaint: str) -> None:
		self.open_proposed(complaint, self.resolution(2))
		old_page = self.driver.find_element(By.TAG_NAME, "html")
		self.driver.find_element(By.ID, "brm-accept").click()
		self.wait_reload(old_page, "#brm-respond-errors")
		self.visible("#brm-record[data-name]")
		self.expect_status("Closed")
		self.wait(lambda d: self.resolution(2) in self.body_text(), "the accepted resolution to be shown")
		outcome = self.text("#brm-outcome")
		check(outcome.startswith("Outcome: Upheld"), f"the outcome shown is '{outcome}'")

	def wait_answer(self, done_id: str, errors_id: str, who: str = "the form answered") -> None:
		"""After sending a form: its confirmation (``done_id``) shows; an error shown instead
		(``errors_id``) fails with its text."""
		self.wait(
			lambda d: (
				d.find_element(By.ID, done_id).is_displayed()
				or d.find_element(By.ID, errors_id).is_displayed()
			),
			"the confirmation or an error",
		)
		errors = self.driver.find_element(By.ID, errors_id)
		check(not errors.is_displayed(), f"{who}: {errors.text}")

	def wait_reload(self, old_page, errors_css: str) -> None:
		"""The page reloads after a response; an error shown instead fails at once."""

		def reloaded_or_error(d):
			if EC.staleness_of(old_page)(d):
				return "reloaded"
			errors = d.find_elements(By.CSS_SELECTOR, errors_css)
			if errors and errors[0].is_displayed():
				return "error"
			return False

		outcome = self.wait(reloaded_or_error, "the page to reload")
		if outcome == "error":
			raise StepFailed(f"the page answered: {self.text(errors_css)}")
		self.wait(lambda d: d.execute_script("return document.readyState") == "complete", "the page to load")

	def give_compliment(self) -> None:
		self.open("/compliments/new")
		form = self.visible("#brm-compliment-form")
		self.screenshot("compliments-new")
		form.find_element(By.ID, "brm-subject").send_keys(f"Quick restore (browser test {self.token})")
		form.find_element(By.ID, "brm-praised").send_keys("The night shift of the service desk")
		services = form.find_elements(By.ID, "brm-service")
		if services:
			Select(services[0]).select_by_value(self.data["service"])
		form.find_element(By.ID, "brm-compliment").send_keys("They restored our shop within minutes.")
		form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
		self.wait_answer("brm-done", "brm-errors")
		reference = self.text("#brm-done-ref")
		check(re.search(r"[A-Z]+-\d{4}-\d+", reference), f"reference shown is '{reference}'")
		print(f"     {reference}", flush=True)

	def raise_change(self) -> str:
		self.open("/changes/new")
		form = self.visible("#brm-change-form")
		self.screenshot("changes-new")
		form.find_element(By.ID, "brm-title").send_keys(f"Nightly export to our warehouse ({self.token})")
		form.find_element(By.ID, "brm-description").send_keys("Export yesterday's orders at 01:00.")
		form.find_element(By.ID, "brm-justification").send_keys("Our planners start at 06:00.")
		services = form.find_elements(By.ID, "brm-service")
		if services:
			Select(services[0]).select_by_value(self.data["service"])
		form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
		self.wait_answer("brm-done", "brm-errors")
		reference = self.text("#brm-done-ref").rsplit(" ", 1)[-1]
		check(re.fullmatch(r"RFC-\d{4}-\d+", reference), f"reference shown is '{reference}'")
		print(f"     {reference}", flush=True)
		return reference

	def answer_change(self, change: str) -> None:
		self.open(f"/changes/{change}")
		form = self.visible("#brm-answer-form", "the question and the answer form")
		check("Which of your sites" in form.text, f"the question is not shown: {form.text[:200]}")
		self.screenshot("change-question")
		form.find_element(By.ID, "brm-answer").send_keys("Leeds first, then York.")
		old = self.driver.find_element(By.TAG_NAME, "html")
		form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
		self.wait_reload(old, "#brm-answer-errors")
		check("Leeds first" in self.body_text(), "the answer is not shown")
		check(not self.driver.find_elements(By.ID, "brm-answer-form"), "the question is still open")

	def confirm_change(self, change: str) -> None:
		self.open(f"/changes/{change}")
		self.visible("#brm-confirm", "the confirmation card")
		check("Approved for next week." in self.body_text(), "the CAB's note for the customer is not shown")
		self.screenshot("change")
		old = self.driver.find_element(By.TAG_NAME, "html")
		self.driver.find_element(By.ID, "brm-confirm-yes").click()
		self.wait_reload(old, "#brm-confirm-errors")
		check(self.badge() == "Done", f"the badge shows '{self.badge()}'")

	def check_incident(self, incident: str) -> None:
		self.open("/complaints")
		banner = self.visible(".brm-incident-banner", "the known-issue banner")
		check("Known issue with" in banner.text, f"the banner says: {banner.text}")
		self.open("/complaints/new")
		self.visible("#brm-incident", "'Is this about the ongoing incident?'")
		self.open(f"/incidents/{incident}")
		page = self.visible("#brm-incident").text
		check("Failover to the second site" in page, "the public update is not shown")
		check("INTERNAL" not in self.body_text(), "internal notes reached the customer")
		self.screenshot("incident")

	def check_review(self, review: str) -> None:
		self.open(f"/service-reviews/{review}")
		page = self.visible(".brm-portal").text
		check("Availability met the target" in page, "the minutes are not shown")
		rows = self.driver.find_elements(By.CSS_SELECTOR, ".brm-portal table tbody tr")
		check(len(rows) == 2, f"{len(rows)} action items shown, expected 2")
		yours = [r.text for r in rows if "Yours" in r.text]
		check(
			len(yours) == 1 and "second contact" in yours[0],
			f"the customer's own action is not marked 'Yours': {[r.text for r in rows]}",
		)
		self.pdf_url = self.driver.find_element(By.PARTIAL_LINK_TEXT, "PDF").get_attribute("href")
		self.screenshot("service-review")

	#: The keyboard answer: per question kind, the value chosen (radio scales: with Space on
	#: the first point, then arrow keys) or typed.
	SURVEY_ANSWERS = {
		"Rating 1-5": 4,
		"NPS 0-10": 9,
		"CES 1-7": 6,
		"Yes/No": 0,
		"Choice": "E-mail",
		"Free Text": "Keyboard only, and it worked.",
	}
	SURVEY_COMMENT = "Quick answers from the service desk."

	def send_survey_unanswered(self) -> None:
		self.driver.find_element(By.CSS_SELECTOR, "#brm-survey-form button[type=submit]").send_keys(
			Keys.ENTER
		)
		self.expect_focused_error("brm-survey-errors", "Please answer")

	def expect_focused_error(self, errors_id: str, says: str) -> None:
		"""A refused form: its error shows ``says`` and has taken the focus."""
		errors = self.visible(f"#{errors_id}", "the error message")
		check(says in errors.text, f"the error says: {errors.text}")
		check(
			self.driver.execute_script("return document.activeElement.id") == errors_id,
			"the error did not take the focus",
		)
		print(f"     error shown: {errors.text.splitlines()[0]}", flush=True)
		with suppress(Exception):
			self.driver.get_log("browser")  # the expected 417 of the refused request, not a finding

	def answer_survey_by_keyboard(self) -> None:
		"""From the top of the page: Tab to the form, then every question in order; Space and
		arrow keys on the radio scales, arrow keys on the choice, typing in the text boxes,
		Enter on the submit button. Every stop must show its focus."""
		form = self.visible("#brm-survey-form")
		questions = self.driver.execute_script(
			"return [...arguments[0].querySelectorAll('.brm-question')].map((q) => ({"
			"key: q.dataset.key, kind: q.dataset.kind,"
			"values: [...q.querySelectorAll('input[type=radio]')].map((r) => r.value)}))",
			form,
		)
		self.driver.execute_script(
			"document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)"
		)
		hidden_focus = []

		def tab(*keys: str) -> dict:
			self.press(*keys)
			now = self.focused()
			if now["tag"] != "body" and not now["visible_focus"]:
				hidden_focus.append(f"{now['tag']} {now['name'] or now['type']}".strip())
			return now

		for _ in range(60):  # past the navbar's links to the first question
			now = tab(Keys.TAB)
			if now["in_form"]:
				break
		else:
			raise StepFailed("60 presses of Tab did not reach the survey form")
		self.screenshot("survey-keyboard")
		for q in questions:
			now = self.focused()
			where = f"question {q['kind']} ({q['key']})"
			check(now["question"] == q["key"], f"Tab reached {now}, expected {where}")
			wanted = self.SURVEY_ANSWERS[q["kind"]]
			if q["values"]:
				check(now["type"] == "radio", f"{where}: focus is on {now}, not a radio button")
				now = tab(Keys.SPACE)
				check(now["checked"], f"{where}: Space did not choose the focused point")
				steps = q["values"].index(str(wanted)) - q["values"].index(now["value"])
				for _ in range(steps):
					now = tab(Keys.ARROW_RIGHT)
				check(
					now["checked"] and now["value"] == str(wanted),
					f"{where}: arrow keys chose {now['value']!r}, expected {wanted}",
				)
				now = tab(Keys.TAB)
				check(now["tag"] == "textarea", f"{where}: Tab went to {now}, not the comment")
				if q["kind"] == "Rating 1-5":
					self.press(self.SURVEY_COMMENT)
			elif q["kind"] == "Choice":
				check(now["tag"] == "select", f"{where}: focus is on {now}, not the list")
				for _ in range(5):
					if now["value"] == wanted:
						break
					now = tab(Keys.ARROW_DOWN)
				check(now["value"] == wanted, f"{where}: arrow keys chose {now['value']!r}")
			else:
				check(now["tag"] == "textarea", f"{where}: focus is on {now}, not a text box")
				self.press(wanted)
			tab(Keys.TAB)
		now = self.focused()
		check(now["tag"] == "button" and now["type"] == "submit", f"after the last question: {now}")
		check(not hidden_focus, f"focus not visible on: {', '.join(hidden_focus)}")
		self.press(Keys.ENTER)
		self.wait_answer("brm-survey-thanks", "brm-survey-errors", "the survey answered")
		thanks = self.driver.find_element(By.ID, "brm-survey-thanks")
		check(
			self.driver.execute_script("return arguments[0].contains(document.activeElement)", thanks),
			"the focus did not move to the thank-you",
		)

	def check_survey_answers(self, invitation: str) -> None:
		result = self.fixture("survey_response", invitation=invitation)
		check(result.get("answered"), f"the invitation is not answered: {result}")
		by_kind = {answer["kind"]: answer for answer in result["answers"]}
		for kind, value in self.SURVEY_ANSWERS.items():
			got = by_kind.get(kind) or {}
			if kind == "Choice":
				stored = got.get("choice")
			elif kind == "Free Text":
				stored = got.get("comment")
			else:
				stored = None if got.get("score") is None else int(got["score"])
			check(stored == value, f"{kind}: stored {stored!r}, expected {value!r} (row {got})")
		comment = (by_kind.get("Rating 1-5") or {}).get("comment")
		check(comment == self.SURVEY_COMMENT, f"the rating's comment stored is {comment!r}")
		print(f"     {invitation}: {result['status']}, {len(result['answers'])} answers as typed", flush=True)

	def check_pdf(self) -> None:
		jar = http.cookiejar.CookieJar()
		opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
		cookie = "; ".join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())
		request = urllib.request.Request(
			self.pdf_url, headers={"Cookie": cookie, "Accept": "application/pdf"}
		)
		try:
			with opener.open(request, timeout=60) as response:
				status, kind, body = (
					response.status,
					response.headers.get("Content-Type", ""),
					response.read(),
				)
		except urllib.error.HTTPError as e:
			raise StepFailed(f"{self.pdf_url} answered {e.code}: {e.read()[:300]!r}") from e
		check(status == 200, f"{self.pdf_url} answered {status}")
		check(kind.split(";")[0].strip() == "application/pdf", f"content type is '{kind}'")
		check(body.startswith(b"%PDF"), f"the body does not start with %PDF: {body[:40]!r}")
		print(f"     {len(body):,} bytes of {kind}", flush=True)

	def close(self) -> None:
		if self.driver:
			with suppress(Exception):
				self.driver.quit()
			self.driver = None
		if self.upload_dir:
			shutil.rmtree(self.upload_dir, ignore_errors=True)


# ----------------------------------------------------------------------------- main


def read_axe(path: str) -> str | None:
	"""axe-core's script, to inject into each page; None (with the reason printed) if absent."""
	file = Path(path)
	if file.is_dir():
		file = file / "axe.min.js"
	try:
		source = file.read_text()
	except OSError as e:
		print(
			f"error: axe-core is needed for the accessibility checks and was not found ({e}).\n"
			"Install it from the npm registry: npm install --no-save --prefix .ci/axe axe-core@4\n"
			"or name its axe.min.js with --axe.",
			file=sys.stderr,
			flush=True,
		)
		return None
	version = re.search(r"axe v([\d.]+)", source[:500])
	print(f"axe-core {version.group(1) if version else '(version unknown)'} from {file}", flush=True)
	return source


def main(argv: list[str] | None = None) -> int:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	where = parser.add_mutually_exclusive_group(required=True)
	where.add_argument("--base-url", help="a running server of the site, e.g. http://127.0.0.1:8000")
	where.add_argument(
		"--start-server",
		action="store_true",
		help="start `bench --site SITE serve` on a free port, stop it after",
	)
	parser.add_argument("--bench", required=True, help="the bench folder, e.g. /home/frappe/frappe-bench")
	parser.add_argument("--site", required=True, help="the site, e.g. brm-test.localhost")
	parser.add_argument("--screenshots", metavar="DIR", help="save desktop and phone screenshots here")
	parser.add_argument("--chromium", default=os.environ.get("CHROMIUM_BIN") or shutil.which("chromium"))
	parser.add_argument(
		"--axe",
		default=os.environ.get("AXE_CORE_JS") or str(AXE_DEFAULT),
		help="axe.min.js of the npm package axe-core, or the package's folder (default: %(default)s)",
	)
	parser.add_argument(
		"--keep-data", action="store_true", help="leave the test's data on the site (debugging)"
	)
	args = parser.parse_args(argv)
	args.axe_source = read_axe(args.axe)
	if args.axe_source is None:
		return 2

	bench = Bench(args.bench, args.site)
	test = PortalTest(args, bench)
	server = None
	failed = False
	started = time.monotonic()
	try:
		if args.start_server:
			server = Server(bench)
			with test.step(f"start bench serve on port {server.port}"):
				server.start()
			test.base = server.url
		test.run()
		if test.soft_failures:
			failed = True
			print(f"{len(test.soft_failures)} checks failed: {'; '.join(test.soft_failures)}", flush=True)
	except StepFailed:
		failed = True
	except KeyboardInterrupt:
		print("interrupted", flush=True)
		failed = True
	finally:
		test.close()
		if not args.keep_data:
			try:
				with test.step("remove the test's data"):
					test.fixture("remove")
			except StepFailed:
				failed = True
		if server:
			try:
				with test.step(f"stop bench serve on port {server.port}"):
					server.stop()
			except StepFailed:
				failed = True
			if failed:
				print(f"bench serve's log: {server.log}", flush=True)
			else:
				server.log.unlink(missing_ok=True)
	for line in test.console:
		print(f"note: browser console error on {line}", flush=True)
	if test.shots and not failed:
		print(f"screenshots in {test.shots}", flush=True)
	print(
		f"{'FAILED' if failed else 'PASSED'}: {test.number} steps in {time.monotonic() - started:.0f} s",
		flush=True,
	)
	return 1 if failed else 0


if __name__ == "__main__":
	sys.exit(main())
