"""The house a newcomer walks (docs/design.md): no import circle, runtime code never imports
the scaffolding in brm_app/tests/, at most ten loose modules at the package top, a README of
at most 10 KB whose links (and the docs' links) all resolve."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "brm_app"
MAX_LOOSE_MODULES = 10
MAX_README_BYTES = 10 * 1024


def module_name(path: Path) -> str:
	parts = list(path.relative_to(ROOT).with_suffix("").parts)
	if parts[-1] == "__init__":
		parts = parts[:-1]
	return ".".join(parts)


def is_scaffolding(name: str) -> bool:
	return name.startswith("brm_app.tests") or name.split(".")[-1].startswith("test_")


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py") if "node_modules" not in p.parts}


def imports_of(name: str) -> set[str]:
	"""brm_app modules ``name`` imports (anywhere in the file, functions included)."""
	tree = ast.parse(MODULES[name].read_text())
	package = name if MODULES[name].name == "__init__.py" else name.rsplit(".", 1)[0]
	found = set()
	for node in ast.walk(tree):
		if isinstance(node, ast.Import):
			targets = [alias.name for alias in node.names]
		elif isinstance(node, ast.ImportFrom):
			base = node.module or ""
			if node.level:
				base = ".".join(
					[*package.split(".")[: len(package.split(".")) - node.level + 1], base]
				).strip(".")
			targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
		else:
			continue
		for target in targets:
			while target and target not in MODULES:
				target = target.rpartition(".")[0]
			if target and target != name and target.startswith("brm_app"):
				found.add(target)
	return found


GRAPH = {name: imports_of(name) for name in MODULES}


def test_no_import_circle():
	runtime = {n for n in GRAPH if not is_scaffolding(n)}
	# A package imports its __init__ on the way to a submodule: that is not an arrow back.
	edges = {n: {t for t in GRAPH[n] if t in runtime and not n.startswith(f"{t}.")} for n in runtime}
	index, low, stack, on_stack, circles = {}, {}, [], set(), []
	counter = iter(range(len(runtime) + 1))

	def visit(v):  # Tarjan's strongly connected components
		index[v] = low[v] = next(counter)
		stack.append(v)
		on_stack.add(v)
		for w in edges[v]:
			if w not in index:
				visit(w)
				low[v] = min(low[v], low[w])
			elif w in on_stack:
				low[v] = min(low[v], index[w])
		if low[v] == index[v]:
			component = []
			while True:
				w = stack.pop()
				on_stack.discard(w)
				component.append(w)
				if w == v:
					break
			if len(component) > 1:
				circles.append(sorted(component))

	for v in sorted(runtime):
		if v not in index:
			visit(v)
	assert circles == [], circles


def test_runtime_code_never_imports_the_scaffolding():
	offenders = {
		n: sorted(t for t in targets if is_scaffolding(t))
		for n, targets in GRAPH.items()
		if not is_scaffolding(n) and any(is_scaffolding(t) for t in targets)
	}
	assert offenders == {}, offenders


def test_the_package_top_holds_few_loose_modules():
	loose = sorted(p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
	assert len(loose) <= MAX_LOOSE_MODULES, loose


def test_the_readme_is_short_and_every_link_resolves():
	readme = ROOT / "README.md"
	assert readme.stat().st_size <= MAX_README_BYTES, readme.stat().st_size
	pages = [readme, ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]
	broken = []
	for page in pages:
		for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text()):
			if re.match(r"[a-z]+:", target) or target.startswith("#"):
				continue
			if not (page.parent / target.split("#")[0]).exists():
				broken.append((page.name, target))
	assert broken == [], broken


def test_the_docs_index_lists_every_page():
	index = (ROOT / "docs" / "index.md").read_text()
	missing = [
		p.name for p in (ROOT / "docs").glob("*.md") if p.name != "index.md" and f"]({p.name})" not in index
	]
	assert missing == [], missing
