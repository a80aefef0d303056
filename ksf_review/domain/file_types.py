"""Which files an upload field takes, judged by name, with a Dutch refusal that names the file.

Streamlit's uploader can filter by type itself (`type=`), but it then refuses a wrong file in
the browser: the server never receives it, so the page could only say "choose a file" to
someone who just chose one. The app's upload fields take any file and refuse it here instead.
The name is only the first gate: what is taken is still checked by content (audio by FFmpeg,
text as UTF-8, zips by their directory).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import PurePath


@dataclass(frozen=True)
class FileKind:
    what: str  # "een opname": what the field takes, in a sentence
    label: str  # the formats, as a person names them ("" when the extension says it all)
    extensions: tuple[str, ...]  # lower case, without the dot

    @property
    def allowed(self) -> str:
        """The formats and their extensions, for a help text or a message."""
        extensions = f"({', '.join('.' + e for e in self.extensions)})"
        return f"{self.label} {extensions}" if self.label else extensions

    def refusal(self, name: str) -> str | None:
        """None when `name` has one of the extensions (any case), else the Dutch refusal."""
        if PurePath(name).suffix.lower().lstrip(".") in self.extensions:
            return None
        sep = ": " if self.label else " "
        return f"'{name}' is geweigerd. Hier kan alleen {self.what} worden toegevoegd{sep}{self.allowed}."


AUDIO = FileKind(
    "een opname",
    "WAV, MP3, M4A/AAC, Ogg/Opus, FLAC of WebM",
    ("wav", "mp3", "m4a", "aac", "mp4", "ogg", "oga", "opus", "flac", "webm"),
)
TEXT = FileKind("een tekstbestand", "UTF-8-tekst", ("txt",))
ZIP = FileKind("een zipbestand", "", ("zip",))


def upload_mb(max_bytes: int) -> int:
    """An uploader's own limit (Streamlit's `max_upload_size`, whole MB) for a service limit in bytes.

    Without it the field says the server's limit (200 MB) while the service takes much less; a
    limit that is no whole number of MB is rounded up, so the service still says why (in Dutch).
    """
    return max(1, math.ceil(max_bytes / 2**20))
