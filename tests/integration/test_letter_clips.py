"""The spelled letter of a queue number is heard as a word: its clip lasts long enough.

Measured with sox (`soxi -D`). Skipped without espeak-ng and sox, except under CI=true,
where both are installed and the test must run."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from queueapp import assets
from queueapp.domain.announce import LETTER_NAMES, letter_clip
from queueapp.sounds import make_clip

from ..support import IN_CI

# A spelled letter at a calm pace is about 0.35-0.5 s of voice; the clip adds a short pause.
SHORTEST_LETTER = 0.45


def tools(*names):
    missing = [name for name in names if shutil.which(name) is None]
    if missing:
        if IN_CI:
            pytest.fail(f"{', '.join(missing)} missing (CI=true: this test must run)")
        pytest.skip(f"needs {', '.join(missing)}")


def seconds(path: Path) -> float:
    return float(subprocess.run(["soxi", "-D", str(path)], check=True, capture_output=True, text=True).stdout)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_generated_letter_clip_is_long_enough_to_be_heard(tmp_path, lang):
    tools("espeak-ng", "sox", "soxi")
    for letter, name in LETTER_NAMES[lang].items():
        target = tmp_path / f"{letter_clip(letter)}.ogg"
        make_clip(name, lang, target, tmp_path, letter=True)
        assert seconds(target) >= SHORTEST_LETTER, (lang, letter, seconds(target))


def test_a_word_clip_stays_tight(tmp_path):
    tools("espeak-ng", "sox", "soxi")
    target = tmp_path / "seratus.ogg"
    make_clip("seratus", "id", target, tmp_path)
    letter = tmp_path / "letter_a.ogg"
    make_clip("a", "id", letter, tmp_path, letter=True)
    # Words keep the tight trim that chains them; only letters get the slower pace and pause.
    assert seconds(letter) > 0.45 and seconds(target) < 1.5


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_packaged_letter_clips_are_the_longer_ones(lang):
    tools("soxi")
    folder = assets.folder("display") / "sounds" / lang
    for letter in LETTER_NAMES[lang]:
        assert seconds(folder / f"{letter_clip(letter)}.ogg") >= SHORTEST_LETTER, (lang, letter)
