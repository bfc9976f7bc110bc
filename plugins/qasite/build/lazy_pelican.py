"""Pelican's package imported without its ``__init__`` until something asks the package itself for a name.

``import pelican.settings`` runs ``pelican/__init__.py`` first, and that imports every generator, reader (docutils),
writer (feedgenerator), the server and its version lookup: ~0.2-0.3 CPU-s that ``check`` never uses (it reads the
settings through ``pelican.settings`` and logs through ``pelican.log``). ``defer()`` puts the package in
``sys.modules`` unexecuted: its submodules import as usual (the package's own ``__path__``; a submodule's name asked
of the package imports that submodule alone), and the first other name asked of the package that it does not hold
yet (``from pelican import Pelican``, ``pelican.console``, ``signals``) runs its ``__init__`` into that same module,
once. So a build, the preview or Pelican itself gets the whole package as before, and a check never runs it. A no-op
once Pelican is imported (a build run by Pelican).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

PACKAGE = "pelican"


def defer() -> None:
    """Put Pelican's package in ``sys.modules`` with its ``__init__`` run on the first name asked of it."""
    if PACKAGE in sys.modules:
        return
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.loader is None:  # not installed: the usual import reports it where it is used
        return
    module = importlib.util.module_from_spec(spec)
    module.__getattr__ = _completer(module, spec)  # type: ignore[method-assign]
    sys.modules[PACKAGE] = module


def _completer(module: ModuleType, spec: ModuleSpec) -> Any:
    """The package's ``__getattr__`` (called only for a name it does not hold): a submodule's name imports that
    submodule alone; any other runs ``__init__``, then looks again.

    Pelican's own modules ask the package for submodules while they import (``readers`` does ``from pelican import
    rstdirectives``): running ``__init__`` there would import ``pelican.generators`` inside its own import.
    """

    def complete(name: str) -> Any:
        if not name.startswith("__") and importlib.util.find_spec(f"{PACKAGE}.{name}") is not None:
            try:
                return importlib.import_module(f"{PACKAGE}.{name}")
            except ImportError:  # a module that only refuses (pelican/signals.py): the name is __init__'s
                pass
        del module.__dict__["__getattr__"]  # once: a name __init__ does not define is then a plain AttributeError
        assert spec.loader is not None
        spec.loader.exec_module(module)
        return getattr(module, name)

    return complete
