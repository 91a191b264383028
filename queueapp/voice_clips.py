"""Recorded human voices for the lobby display: an office's own clip of each word the
display says, found before the espeak-ng clips.

Where a clip named "id/seratus" (or "chime") is looked for, first found wins:
  <instance>/sounds/<office slug>/id/seratus.{ogg,mp3,wav}   recorded for this office
  <instance>/sounds/default/id/seratus.{ogg,mp3,wav}         recorded for every office
  <instance>/sounds/id/seratus.ogg                           `queueapp make-sounds` (espeak-ng)
  display/sounds/id/seratus.ogg                              packaged (espeak-ng)
The first two hold human recordings (uploaded in /admin/<office>/voice, or copied there);
the last two are generated. No Flask, no database: files only.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import assets
from .domain.announce import CHIME, LANGUAGES, clip_texts
from .sounds import office_sounds

DEFAULT = "default"
# Extension -> media type, and how the file starts (a clip is checked, not trusted by name).
FORMATS = {"ogg": "audio/ogg", "mp3": "audio/mpeg", "wav": "audio/wav"}
MAX_BYTES = 2 * 1024 * 1024


class ClipRejected(ValueError):
    """An upload that is not a clip of the plan: `reason` is one of unknown_clip,
    bad_type, too_big, empty."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Clip:
    name: str            # "chime" or "<lang>/<word>"
    text: str            # what to say in it
    path: Path | None    # the file the display plays (None: no clip at all)
    recorded: bool       # a human recording (office or default folder)
    scope: str           # "office", "default", "generated" or "missing"
    version: str         # changes when the file does (for cache-busting URLs)

    @property
    def extension(self) -> str:
        return self.path.suffix.lstrip(".") if self.path else "ogg"

    @property
    def media_type(self) -> str:
        return FORMATS.get(self.extension, "audio/ogg")


def plan() -> dict[str, str]:
    """Every clip a display may play, by name, with the words to record in it."""
    names = {CHIME: "(chime)"}
    for lang in LANGUAGES:
        names.update({f"{lang}/{name}": text for name, text in clip_texts(lang).items()})
    return names


PLAN = plan()


def _slug_folder(instance_path: Path, slug: str) -> Path:
    # Office slugs are [a-z0-9-]; anything else never names a folder.
    if not slug or not all(c.isalnum() or c == "-" for c in slug):
        raise ClipRejected("unknown_clip")
    return office_sounds(instance_path) / slug


def _recorded(folder: Path, name: str) -> Path | None:
    for ext in FORMATS:
        path = folder / f"{name}.{ext}"
        if path.is_file():
            return path
    return None


def _version(path: Path) -> str:
    return str(path.stat().st_mtime_ns)


def find(instance_path: Path, slug: str, name: str) -> Clip:
    """The file the display plays for clip `name` in office `slug` (ClipRejected for a name
    outside the plan)."""
    if name not in PLAN:
        raise ClipRejected("unknown_clip")
    for scope, folder in (("office", _slug_folder(instance_path, slug)),
                          ("default", office_sounds(instance_path) / DEFAULT)):
        path = _recorded(folder, name)
        if path is not None:
            return Clip(name, PLAN[name], path, True, scope, _version(path))
    for folder in (office_sounds(instance_path), assets.folder("display") / "sounds"):
        path = folder / f"{name}.ogg"
        if path.is_file():
            return Clip(name, PLAN[name], path, False, "generated", _version(path))
    return Clip(name, PLAN[name], None, False, "missing", "")


def clips(instance_path: Path, slug: str) -> list[Clip]:
    """Every clip of the plan, in plan order, with where it comes from."""
    return [find(instance_path, slug, name) for name in PLAN]


def recorded(instance_path: Path, slug: str) -> dict[str, Clip]:
    """The human recordings the office's displays play, by clip name (reads only the two
    recording folders: every display page asks)."""
    found: dict[str, Clip] = {}
    for scope, folder in (("office", _slug_folder(instance_path, slug)),
                          ("default", office_sounds(instance_path) / DEFAULT)):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.*")):
            name = path.relative_to(folder).with_suffix("").as_posix()
            ext = path.suffix.lstrip(".")
            if name in PLAN and ext in FORMATS and name not in found and path.is_file():
                best = _recorded(folder, name)      # the same format find() would pick
                found[name] = Clip(name, PLAN[name], best, True, scope, _version(best))
    return found


def _sniff(data: bytes) -> str | None:
    if data[:4] == b"OggS":
        return "ogg"
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav"
    if data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return "mp3"
    return None


def save(instance_path: Path, slug: str, name: str, filename: str, data: bytes) -> Clip:
    """Store an office's recording of clip `name`, replacing its earlier one (in any format).
    The type is read from the file's first bytes and must agree with its extension."""
    if name not in PLAN:
        raise ClipRejected("unknown_clip")
    if not data:
        raise ClipRejected("empty")
    if len(data) > MAX_BYTES:
        raise ClipRejected("too_big")
    ext = Path(filename or "").suffix.lower().lstrip(".")
    if ext not in FORMATS or _sniff(data) != ext:
        raise ClipRejected("bad_type")
    folder = _slug_folder(instance_path, slug)
    target = folder / f"{name}.{ext}"
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    for other in FORMATS:
        if other != ext:
            (folder / f"{name}.{other}").unlink(missing_ok=True)
    os.replace(temporary, target)
    return find(instance_path, slug, name)


def delete(instance_path: Path, slug: str, name: str) -> bool:
    """Remove the office's recording of `name` (the display falls back to the next clip)."""
    if name not in PLAN:
        raise ClipRejected("unknown_clip")
    folder = _slug_folder(instance_path, slug)
    removed = False
    for ext in FORMATS:
        path = folder / f"{name}.{ext}"
        if path.is_file():
            path.unlink()
            removed = True
    return removed
