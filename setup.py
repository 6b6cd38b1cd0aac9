import re
from pathlib import Path

from setuptools import find_packages, setup

# Read the version without importing the package (PEP 517 builds do not put it on sys.path).
version = re.search(
	r'__version__ = "([^"]+)"', (Path(__file__).parent / "brm_app" / "__init__.py").read_text()
)[1]

setup(
	name="brm_app",
	version=version,
	description="ITIL / ISO 20000 Business Relationship Management for ERPNext",
	author="brm_app contributors",
	author_email="brm@example.com",
	license="MIT",
	packages=find_packages(exclude=("tests", "tests.*")),
	zip_safe=False,
	include_package_data=True,
	python_requires=">=3.10",
	# freezegun (also a Frappe development dependency): the demo records each step of its year of
	# history at the moment it happened (brm_app/demo/history.py).
	install_requires=["freezegun>=1.2,<2"],
)
