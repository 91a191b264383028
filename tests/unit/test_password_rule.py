"""The password rule (domain.setup.password) and the common passwords shipped with it."""
from importlib import resources

import pytest

from queueapp.domain import setup
from queueapp.domain.errors import InvalidInput


def shipped_common_passwords() -> frozenset[str]:
    text = resources.files("queueapp.domain").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


COMMON = shipped_common_passwords()


def refusal(password: str, *, username: str = "rina.wulandari", office: str = "kec-cibodas") -> str | None:
    try:
        setup.password(password, username=username, office=office, common=COMMON)
    except InvalidInput as exc:
        assert exc.params["field"] == "password"
        return str(exc)
    return None


@pytest.mark.parametrize("password", ["teh-manis-hangat", "Kopi Tubruk di Pagi Hari", "loket3-antri-7X", "demo12345"])
def test_a_long_uncommon_password_is_accepted(password):
    assert refusal(password) is None


def test_a_password_shorter_than_eight_characters_is_refused():
    assert "at least 8" in refusal("Xk3$pq7")


@pytest.mark.parametrize("password", ["password", "Password1", "qwerty123", "iloveyou!", "bismillah", "Bismillah123!",
                                      "indonesia", "INDONESIA2024", "rahasia123", "sayangku", "147258369",
                                      "alhamdulillah", "merdeka45", "!!cintaku!!"])
def test_a_common_password_is_refused_even_with_digits_or_symbols_around_it(password):
    assert "most common" in refusal(password)


@pytest.mark.parametrize("password", ["aaaaaaaa", "11111111", "abababab", "12341234", "12345678", "87654321",
                                      "abcdefgh", "HGFEDCBA", "qwertyui", "asdfghjk", "poiuytre",
                                      "1234567890"])
def test_a_repeated_character_a_pattern_or_a_sequence_is_refused(password):
    assert "sequence" in refusal(password)


@pytest.mark.parametrize("password", ["rina.wulandari!", "Wulandari-1987", "xx-rina-xx-99", "cibodas-99!",
                                      "Kec-Cibodas-2025"])
def test_a_password_containing_the_username_or_the_office_is_refused(password):
    assert "username" in refusal(password)


def test_short_parts_of_a_name_may_appear_by_chance():
    # "kec" (3 letters) of the office and "ab" of a short username are too short to refuse.
    assert refusal("kecap-manis-pedas", username="ab", office="kec-x") is None


def test_without_a_list_only_the_shape_rules_apply():
    assert setup.password("bismillah") == "bismillah"
    with pytest.raises(InvalidInput):
        setup.password("12345678")


def test_the_shipped_list_holds_world_and_indonesian_favourites_in_lowercase():
    assert {"password", "123456", "qwerty", "bismillah", "indonesia", "rahasia", "sayang"} <= COMMON
    assert len(COMMON) > 400
    assert all(word == word.lower() for word in COMMON)
