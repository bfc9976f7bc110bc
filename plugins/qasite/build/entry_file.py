"""One build cache entry's file: pickled straight into a temporary file that is then renamed over it (a crash leaves
the old entry or none), and unpickled straight from the file.

Neither way holds a copy of the whole entry's bytes in memory. Reading the bytes first and unpickling them
(``pickle.loads(path.read_bytes())``) allocated and filled a buffer as large as the entry before making a single
object: at 10,000 questions ~0.065 CPU-s for the 110 MB kept load (``build/resume.py``) and ~0.02 for the 42 MB
snapshot, in every resumed ``invoke build`` (session 19). The objects made are the same.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Any


def load(path: Path) -> Any:
    """The value pickled in ``path``, unpickled as the file is read (a missing file: FileNotFoundError; a damaged or
    foreign one: whatever pickle raises)."""
    with open(path, "rb") as handle:
        return pickle.load(handle)


def dump(path: Path, value: Any) -> None:
    """Write ``value`` pickled to ``path`` atomically, streamed into the temporary file (``path``'s folder must
    exist)."""
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(handle.name, path)
