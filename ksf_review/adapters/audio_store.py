"""Content-addressed audio store: files live under their sha256, never under a user name.

The same recording uploaded twice maps to the same file, and a file name supplied by a
user never becomes part of a path. Services reach recordings only through `AudioStorage`
(ctx.audio): the local directory below today (KSF_DATA_DIR/audio, on a shared disk such as
NFS when workers run on other machines), an S3-compatible store later — it implements the
same four methods, `local_path` downloading into a local cache, and is chosen in
services/context.build_context; no service changes.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Protocol

from .audio import sha256_file
from .playback_copy import copy_path


class AudioStorage(Protocol):
    """What services may do with a stored recording, named by the relpath `put_file` returned."""

    def put_file(self, src: Path, ext: str, sha256: str | None = None) -> tuple[str, str]:
        """Store a local file; returns (sha256, relpath)."""

    def exists(self, relpath: str) -> bool: ...

    def local_path(self, relpath: str) -> Path:
        """A readable local file with the recording (decoder, engine, player, clip cutter)."""

    def delete(self, relpath: str) -> int:
        """Delete the recording and what was derived from it; returns how many files went."""


class AudioStore:
    """AudioStorage on a local (or shared, e.g. NFS-mounted) directory."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def relpath(self, sha256: str, ext: str) -> str:
        ext = "".join(c for c in ext.lower() if c.isalnum())[:8] or "bin"
        return f"{sha256[:2]}/{sha256}.{ext}"

    def path(self, relpath: str) -> Path:
        p = (self.root / relpath).resolve()
        if self.root.resolve() not in p.parents:
            raise ValueError("pad buiten de audio-opslag")
        return p

    def exists(self, relpath: str) -> bool:
        return self.path(relpath).is_file()

    def local_path(self, relpath: str) -> Path:
        return self.path(relpath)

    def put_file(self, src: Path, ext: str, sha256: str | None = None) -> tuple[str, str]:
        """Copy src into the store (atomically); returns (sha256, relpath)."""
        sha = sha256 or sha256_file(src)
        rel = self.relpath(sha, ext)
        dst = self.path(rel)
        if not dst.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=dst.parent, prefix=".upload-")
            try:
                with os.fdopen(fd, "wb") as out, open(src, "rb") as inp:
                    while block := inp.read(1 << 20):
                        out.write(block)
                os.replace(tmp, dst)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        return sha, rel

    def delete(self, relpath: str) -> int:
        """Delete a recording and its playback copy; returns how many files were removed.

        The waveform peaks live outside the store (``waveform.delete_peaks``).
        """
        p = self.path(relpath)
        n = 0
        for f in (p, copy_path(p)):
            if f.exists():
                f.unlink(missing_ok=True)
                n += 1
        return n
