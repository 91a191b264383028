"""The display's voice: short clips recorded offline by espeak-ng, trimmed and packed by sox.

Layout: <folder>/chime.ogg and <folder>/<lang>/<clip>.ogg, one clip per word of
queueapp.domain.announce. The package carries a set in display/sounds; an office's own
clips live in <instance>/sounds (`office_sounds`), where an upgrade leaves them, and the
display serves each from there when present. Human recordings live beside them in
<instance>/sounds/<office>/ and <instance>/sounds/default/ and win over both
(queueapp.voice_clips; uploaded in /admin/<office>/voice); `make_sounds(...,
keep_existing=True)` leaves existing files alone.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .domain.announce import CHIME, LANGUAGES, clip_texts, letter_clip

VOICES = {"id": "id", "en": "en"}
SAMPLE_RATE = "16000"
# sox effects: mono 16 kHz, then cut the leading and trailing silence so clips chain tightly.
TRIM = ["silence", "1", "0.02", "0.5%", "reverse", "silence", "1", "0.02", "0.5%", "reverse"]
# A spelled letter is one short syllable: at the words' speed and trim it lasted a quarter of a
# second and its soft start and end were cut ("A" sounded like a click). Letters are spoken
# slower, trimmed at a lower threshold and followed by a short pause, so "A seratus" is heard
# as two words (about 0.6 s instead of 0.24 s).
WORD_SPEED, LETTER_SPEED = "140", "100"
LETTER_TRIM = ["silence", "1", "0.02", "0.1%", "reverse", "silence", "1", "0.02", "0.1%", "reverse",
               "pad", "0.05", "0.2"]
EXTENSION = "ogg"
LETTER_PREFIX = letter_clip("")


class SoundToolMissing(RuntimeError):
    pass


def office_sounds(instance_path: Path) -> Path:
    """The office's own clips, in the instance folder (same layout as display/sounds)."""
    return Path(instance_path) / "sounds"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise SoundToolMissing(f"{name} is not installed (Debian: apt-get install {name})")
    return path


def _encode(sox: str, source: list[str], target: Path, effects: list[str]) -> None:
    subprocess.run([sox, *source, "-r", SAMPLE_RATE, "-c", "1", "-C", "2", str(target), *effects],
                   check=True, capture_output=True)


def make_chime(target: Path) -> None:
    """A two-tone "ding-dong" that turns heads before the number is read."""
    sox = _tool("sox")
    _encode(sox, ["-n"], target, ["synth", "0.5", "sine", "880", "fade", "0", "0.5", "0.45",
                                  "vol", "0.5", ":", "synth", "0.8", "sine", "660", "fade", "0",
                                  "0.8", "0.75", "vol", "0.5"])


def make_clip(text: str, lang: str, target: Path, workdir: Path, *, letter: bool = False) -> None:
    espeak, sox = _tool("espeak-ng"), _tool("sox")
    raw = workdir / "raw.wav"
    subprocess.run([espeak, "-v", VOICES[lang], "-s", LETTER_SPEED if letter else WORD_SPEED, "-w", str(raw), text],
                   check=True, capture_output=True)
    _encode(sox, [str(raw)], target, LETTER_TRIM if letter else TRIM)


def make_sounds(folder: Path, *, keep_existing: bool = False) -> list[Path]:
    """Write the chime and every clip of every language; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    chime = folder / f"{CHIME}.{EXTENSION}"
    if not (keep_existing and chime.exists()):
        make_chime(chime)
        written.append(chime)
    with tempfile.TemporaryDirectory() as tmp:
        for lang in LANGUAGES:
            (folder / lang).mkdir(exist_ok=True)
            for name, text in clip_texts(lang).items():
                target = folder / lang / f"{name}.{EXTENSION}"
                if keep_existing and target.exists():
                    continue
                make_clip(text, lang, target, Path(tmp), letter=name.startswith(LETTER_PREFIX))
                written.append(target)
    return written
