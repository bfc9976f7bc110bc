"""Pelican's package is imported without its ``__init__`` until something asks it for a name
(``build/lazy_pelican.py``).

A check's process imports only the Pelican modules it uses (``pelican.log`` first, then ``pelican.settings``): never
the generators, readers or docutils, and every logger is Pelican's ``FatalLogger`` as when the whole package was
imported first (``--strict``). Once something asks the package for a name, the package is whole: ``Pelican``, its
version, ``pelican.signals``; a name it does not define is an AttributeError.

Pelican's own modules imported first (the generator's ``pelican.generators``, whose readers ask the package for a
submodule while they import) import as they do without ``defer()``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, copy_site

CHECKED = """
import json, logging, sys
from qasite.__main__ import main
code = main(["check", "--settings", sys.argv[1]])
from pelican.log import FatalLogger
print(json.dumps({
    "code": code,
    "loaded": sorted(name for name in sys.modules if name.startswith(("pelican.", "docutils", "feedgenerator"))),
    "fatal": all(isinstance(logging.getLogger(name), FatalLogger) for name in sys.modules if name.startswith("qasite")),
}))
"""

COMPLETED = """
import importlib.metadata, json, sys
from qasite.build.lazy_pelican import defer
defer()
import pelican.settings
before = "pelican.generators" in sys.modules
from pelican import Pelican
import pelican, pelican.plugins.signals
try:
    pelican.no_such_name
    missing = False
except AttributeError:
    missing = True
print(json.dumps({
    "before": before, "after": "pelican.generators" in sys.modules, "class": Pelican.__name__,
    "version": pelican.__version__ == importlib.metadata.version("pelican"),
    "signals": pelican.signals is pelican.plugins.signals, "missing": missing,
}))
"""


SUBMODULES_FIRST = """
import json, sys
from qasite.build.lazy_pelican import defer
defer()
from qasite.render import generator
import pelican
print(json.dumps({"whole": "Pelican" in vars(pelican), "generators": "pelican.generators" in sys.modules,
    "rst": "pelican.rstdirectives" in sys.modules, "class": pelican.Pelican.__name__}))
"""


SIGNALS_FIRST = """
import sys
from qasite.build.lazy_pelican import defer
defer()
from pelican import signals
import pelican.plugins.signals
print(signals is pelican.plugins.signals)
"""


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QASITE_PROGRESS": "off", "PYTHONPATH": str(ROOT / "plugins")}
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, check=False)


def test_a_check_imports_only_the_pelican_modules_it_uses(tmp_path: Path) -> None:
    conf = copy_site(tmp_path / "site")
    run = _run(["-c", CHECKED, str(conf)])
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout.splitlines()[-1])
    plain = _run(["-m", "qasite", "check", "--settings", str(conf)])
    assert found["code"] == plain.returncode and "Traceback" not in run.stderr + plain.stderr
    assert "pelican.generators" not in found["loaded"] and "pelican.readers" not in found["loaded"]
    assert not [name for name in found["loaded"] if name.startswith(("docutils", "feedgenerator"))]
    assert {"pelican.log", "pelican.settings"} <= set(found["loaded"])
    assert found["fatal"]  # pelican.log imported before any of our loggers was made


def test_the_package_is_whole_once_asked_for_a_name() -> None:
    run = _run(["-c", COMPLETED])
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout.splitlines()[-1])
    assert found == {
        "before": False,
        "after": True,
        "class": "Pelican",
        "version": True,
        "signals": True,
        "missing": True,
    }


def test_pelicans_modules_imported_before_the_package_is_whole() -> None:
    run = _run(["-c", SUBMODULES_FIRST])
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout.splitlines()[-1])
    assert found == {"whole": False, "generators": True, "rst": True, "class": "Pelican"}


def test_a_name_init_binds_over_a_refusing_submodule() -> None:
    run = _run(["-c", SIGNALS_FIRST])  # pelican/signals.py only raises: ``signals`` is the one __init__ imports
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["True"]
