"""NIK and phone numbers: ASCII digits only, after the separators people type."""
import pytest

from queueapp.domain.booking import clean_nik, clean_phone
from queueapp.domain.errors import InvalidNik, InvalidPhone

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")


@pytest.mark.parametrize("typed", ["3174012345670001", "3174 0123 4567 0001", "3174.0123.4567.0001",
                                   "3174-0123-4567-0001", " 3174\u00a00123 4567 0001 "])
def test_a_nik_typed_with_separators_is_the_same_nik(typed):
    assert clean_nik(typed) == "3174012345670001"


@pytest.mark.parametrize("digits", [FULLWIDTH, ARABIC_INDIC, DEVANAGARI])
def test_a_nik_in_other_digits_is_refused(digits):
    with pytest.raises(InvalidNik):
        clean_nik("3174012345670001".translate(digits))


def test_a_nik_mixing_one_other_digit_is_refused():
    with pytest.raises(InvalidNik):
        clean_nik("317401234567000" + "١")


@pytest.mark.parametrize("typed", ["081234567890", "0812 3456 7890", "0812-3456-7890", "+62 812-3456-7890",
                                   "62812.3456.7890", "(0812) 3456 7890"])
def test_a_phone_typed_with_separators_is_the_same_number(typed):
    assert clean_phone(typed) == "081234567890"


@pytest.mark.parametrize("digits", [FULLWIDTH, ARABIC_INDIC, DEVANAGARI])
def test_a_phone_in_other_digits_is_refused(digits):
    with pytest.raises(InvalidPhone):
        clean_phone("081234567890".translate(digits))


def test_a_phone_with_a_trailing_newline_is_still_one_number():
    assert clean_phone("081234567890\n") == "081234567890"
