"""README.md lists the test commands; .ci/run must run the same ones."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ci_runs_the_readme_test_commands():
	readme = (ROOT / "README.md").read_text()
	ci = (ROOT / ".ci" / "run").read_text()
	pairs = [
		("python -m pytest -q tests", "-m pytest -q tests"),
		("ruff check .", 'ruff" check .'),
		("ruff format --check .", 'ruff" format --check .'),
		("bench --site <site> set-config allow_tests true", "set-config allow_tests true"),
		("bench --site <site> run-tests --app brm_app", "run-tests --app brm_app"),
	]
	for in_readme, in_ci in pairs:
		assert in_readme in readme, in_readme
		assert in_ci in ci, in_ci
