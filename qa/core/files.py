"""Writing a file so that a reader, or a process killed half-way, never leaves half of it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["TEMP_SUFFIX", "write_atomically"]

#: Temporary files are ``.<name>.<random>`` + this suffix, beside their target, so leftovers
#: of a killed writer can be recognised and removed.
TEMP_SUFFIX = ".tmp"


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``: readers see the old file or the new one, never a mix, and
    two writers cannot interleave. The bytes are on disk before the rename (``fsync``).
    Raises OSError; the temporary file is removed on any failure."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
