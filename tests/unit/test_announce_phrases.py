"""The spoken call: phrase and clip playlist for every number and counter a display meets."""
import pytest
from num2words import num2words

from queueapp import assets
from queueapp.domain import errors
from queueapp.domain.announce import CHIME, announcement, clip_texts, parse_code

SOUNDS = assets.folder("display") / "sounds"


def test_the_call_of_a123_to_counter_three_reads_as_an_office_says_it():
    call = announcement("A-123", 3)
    assert call.text == "Nomor antrian A seratus dua puluh tiga, silakan menuju loket tiga."
    assert call.clips == ("chime", "nomor_antrian", "letter_a", "seratus", "dua", "puluh", "tiga",
                          "silakan_menuju", "loket", "tiga")


@pytest.mark.parametrize("number, words", [
    (1, "satu"), (11, "sebelas"), (12, "dua belas"), (42, "empat puluh dua"), (100, "seratus"),
    (215, "dua ratus lima belas"), (999, "sembilan ratus sembilan puluh sembilan")])
def test_numbers_are_read_as_words(number, words):
    call = announcement(f"B-{number:03d}", 1)
    assert f"B {words}," in call.text
    assert " ".join(call.clips[3:3 + len(words.split())]) == words


def test_the_english_form_on_a_display_set_to_english():
    call = announcement("C-042", 12, "en")
    assert call.text == "Queue number C forty-two, please go to counter twelve."
    assert call.clips == ("chime", "queue_number", "letter_c", "forty", "two", "please_go_to",
                          "counter", "twelve")


LEAD = {"id": ["nomor_antrian"], "en": ["queue_number"]}
GO_TO = {"id": ["silakan_menuju", "loket"], "en": ["please_go_to", "counter"]}


def words(n, lang):
    return num2words(n, lang=lang).replace("-", " ").split()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_number_1_to_999_at_counters_1_to_20_plays_chime_then_one_known_clip_per_word(lang):
    known = set(clip_texts(lang)) | {CHIME}
    for number in range(1, 1000):
        for counter in range(1, 21):
            call = announcement(f"A-{number:03d}", counter, lang)
            expected = ([CHIME] + LEAD[lang] + ["letter_a"] + words(number, lang) + GO_TO[lang]
                        + words(counter, lang))
            assert list(call.clips) == expected, (number, counter)
            assert set(call.clips) <= known, (number, counter)


def test_the_words_of_1_to_999_follow_num2words_exactly():
    for number in range(1, 1000):
        call = announcement(f"A-{number}", 1)
        assert f" A {num2words(number, lang='id')}," in call.text


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_sound_file_ships_for_every_clip(lang):
    missing = [name for name in clip_texts(lang) if not (SOUNDS / lang / f"{name}.ogg").is_file()]
    assert not missing and (SOUNDS / "chime.ogg").is_file()


def test_a_prefix_of_two_letters_is_spelled_and_numbers_past_999_still_read():
    call = announcement("AB-1000", 2)
    assert call.clips[2:5] == ("letter_a", "letter_b", "seribu")
    assert parse_code("a12") == ("A", 12)


@pytest.mark.parametrize("code, counter, lang", [("", 1, "id"), ("A-12", 0, "id"), ("A-1", 1, "fr"),
                                                 ("A--", 1, "id"), ("<script>", 1, "id")])
def test_bad_input_raises_a_named_error(code, counter, lang):
    with pytest.raises(errors.InvalidInput):
        announcement(code, counter, lang)
