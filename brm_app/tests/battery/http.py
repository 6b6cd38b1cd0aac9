"""A small HTTP client for the battery (standard library only)."""

import http.client
import json
import time
from http.cookies import SimpleCookie
from urllib.parse import quote, urlencode, urlsplit


def percentile(values: list[float], p: float) -> float:
	"""Linear interpolation between closest ranks (numpy's default)."""
	if not values:
		return 0.0
	ordered = sorted(values)
	k = (len(ordered) - 1) * p / 100
	lo = int(k)
	hi = min(lo + 1, len(ordered) - 1)
	return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def message_of(body: str) -> str:
	"""The message a person is shown from a Frappe error response ('' if none)."""
	try:
		data = json.loads(body)
	except ValueError:
		return ""
	parts = []
	for raw in json.loads(data.get("_server_messages") or "[]"):
		try:
			parts.append(str(json.loads(raw).get("message", "")))
		except (ValueError, AttributeError):
			parts.append(str(raw))
	if not parts and data.get("exc_type"):
		# e.g. PermissionError, DoesNotExistError without a message of ours: Frappe's own text
		parts.append(data.get("exception") or data["exc_type"])
	if not parts and isinstance(data.get("message"), str):
		parts.append(data["message"])
	return " ".join(p for p in parts if p)


class Client:
	"""Keeps cookies; a new connection per request (gunicorn's sync workers close it anyway)."""

	def __init__(self, base_url: str, host: str | None = None, timeout: float = 300):
		parts = urlsplit(base_url)
		self.netloc = parts.netloc
		self.host = host or parts.netloc
		self.timeout = timeout
		self.cookies: dict[str, str] = {}
		self.forwarded_for: str | None = None

	def request(self, method: str, path: str, body=None, accept: str = "text/html", as_json: bool = False):
		conn = http.client.HTTPConnection(self.netloc, timeout=self.timeout)
		headers = {"Host": self.host, "Accept": accept, "Connection": "close"}
		if self.forwarded_for:
			headers["X-Forwarded-For"] = self.forwarded_for
		if self.cookies:
			headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
		data = None
		if body is not None and method != "GET":
			if as_json:
				data = json.dumps(body).encode()
				headers["Content-Type"] = "application/json"
			else:
				data = urlencode(body).encode()
				headers["Content-Type"] = "application/x-www-form-urlencoded"
		elif body:
			path = f"{path}?{urlencode(body)}"
		path = quote(path, safe="/?=&%:")
		try:
			conn.request(method, path, body=data, headers=headers)
			response = conn.getresponse()
			content = response.read()
			for header in response.headers.get_all("Set-Cookie") or []:
				cookie = SimpleCookie()
				cookie.load(header)
				for key, morsel in cookie.items():
					self.cookies[key] = morsel.value
			return response.status, content
		finally:
			conn.close()

	def call(self, method: str, path: str, body=None) -> tuple[int, str]:
		"""An API call (``method`` "JSON" posts a JSON body); status and text."""
		as_json = method == "JSON"
		status, content = self.request(
			"POST" if as_json else method, path, body, accept="application/json", as_json=as_json
		)
		return status, content.decode("utf-8", "replace")

	def timed(self, method: str, path: str, body=None) -> tuple[int, str, float]:
		started = time.perf_counter()
		status, text = self.call(method, path, body)
		return status, text, (time.perf_counter() - started) * 1000

	def login(self, user: str, password: str) -> None:
		status, content = self.request(
			"POST", "/api/method/login", {"usr": user, "pwd": password}, accept="application/json"
		)
		if status != 200 or self.cookies.get("sid", "Guest") == "Guest":
			raise RuntimeError(f"login as {user} failed: HTTP {status} {content[:300]!r}")
