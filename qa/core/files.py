"""Files: written so that a reader, or a process killed half-way, never sees half of one;
hashed in blocks to check a shipped file against its pinned sha256."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

__all__ = ["TEMP_SUFFIX", "sha256_file", "write_atomically"]

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


def sha256_file(path: Path) -> str:
    """The sha256 of the file at ``path``, read in 1 MiB blocks (model weights are large)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
