"""The SKM index of PermenPANRB 14/2017: NRR, IKM with exact 1/9 weights, the converted
value's bands, per-element categories, the Krejcie-Morgan sample, the follow-up elements,
and what a respondent's answers must be."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction

import pytest

from queueapp.domain import skm
from queueapp.domain.skm import Category


def _index_of(rows):
    sums = {key: sum(row[i] for row in rows) for i, key in enumerate(skm.KEYS)}
    counts = {key: len(rows) for key in skm.KEYS}
    return skm.index(len(rows), sums, counts)


def test_the_nine_elements_are_keyed_one_to_nine_and_weigh_exactly_one_ninth_each():
    assert skm.KEYS == ("1", "2", "3", "4", "5", "6", "7", "8", "9")
    assert skm.WEIGHT * len(skm.KEYS) == 1


def test_a_survey_answered_four_everywhere_scores_4_00_and_100_00_not_99():
    result = _index_of([[4] * 9] * 7)
    assert result.ikm == 4 and result.converted == 100
    assert skm.two_decimals(result.converted) == Decimal("100.00")
    assert result.category == Category.A


def test_a_survey_answered_one_everywhere_scores_25_and_is_not_good():
    result = _index_of([[1] * 9] * 3)
    assert result.converted == 25 and result.category == Category.D


def test_a_worked_example_computed_by_hand():
    """Four respondents answer (elements 1..9):

        R1: 4 4 3 4 3 4 4 3 3
        R2: 3 3 3 4 3 3 4 3 2
        R3: 4 3 2 4 3 4 4 2 3
        R4: 3 3 3 4 3 3 3 3 3

    Sums 14 13 11 16 12 14 15 11 11, so NRR (sum / 4) = 3.50 3.25 2.75 4.00 3.00 3.50
    3.75 2.75 2.75. Their total is 29.25; IKM = 29.25 x 1/9 = 3.25 exactly; converted =
    3.25 x 25 = 81.25, which lies in 76.61 <= B < 88.31: "baik". (Weights printed as 0.111
    would give 29.25 x 0.111 x 25 = 81.17.) Per element: 4.00 and 3.75 are A (>= 3.5324),
    3.50 and 3.25 B (>= 3.0644), 3.00 and 2.75 C (>= 2.60). The follow-up plan starts
    from the three lowest, all 2.75: elements 3, 8 and 9."""
    result = _index_of([[4, 4, 3, 4, 3, 4, 4, 3, 3], [3, 3, 3, 4, 3, 3, 4, 3, 2],
                        [4, 3, 2, 4, 3, 4, 4, 2, 3], [3, 3, 3, 4, 3, 3, 3, 3, 3]])
    assert result.respondents == 4
    assert [result.nrr[key] for key in skm.KEYS] == [Fraction(v) for v in
                                                      ("3.5", "3.25", "2.75", "4", "3", "3.5", "3.75", "2.75", "2.75")]
    assert result.ikm == Fraction("3.25")
    assert result.converted == Fraction("81.25")
    assert result.category == Category.B and result.category.label == "good"
    assert skm.CATEGORY_LABELS_ID[result.category] == "baik"
    assert result.weighted("1") == Fraction("3.5") / 9
    assert [skm.element_category(result.nrr[key]) for key in skm.KEYS] == [
        Category.B, Category.B, Category.C, Category.A, Category.C, Category.B, Category.A, Category.C, Category.C]
    assert skm.lowest(result.nrr) == ["3", "8", "9"]


@pytest.mark.parametrize("converted, category", [
    ("25", Category.D), ("64.99", Category.D), ("65.00", Category.C), ("76.60", Category.C),
    ("76.61", Category.B), ("88.30", Category.B), ("88.31", Category.A), ("100", Category.A),
])
def test_the_converted_value_falls_in_half_open_bands(converted, category):
    assert skm.converted_category(Fraction(converted)) == category
    assert skm.converted_category(Decimal(converted)) == category


@pytest.mark.parametrize("converted, category", [
    ("64.994", Category.D), ("64.995", Category.C), ("76.6049", Category.C), ("76.605", Category.B),
    ("88.3049", Category.B), ("88.305", Category.A),
])
def test_the_band_is_read_on_the_value_rounded_half_up_to_two_decimals(converted, category):
    assert skm.converted_category(Fraction(converted)) == category


def test_an_index_on_a_band_edge_reads_the_rounded_converted_value():
    # IKM 3.0644 x 25 = 76.61 exactly: B; 3.0642 x 25 = 76.605 rounds to 76.61: B; 3.0641 gives 76.60: C.
    assert skm.converted_category(Fraction("3.0644") * 25) == Category.B
    assert skm.converted_category(Fraction("3.0642") * 25) == Category.B
    assert skm.converted_category(Fraction("3.0641") * 25) == Category.C


@pytest.mark.parametrize("nrr, category", [
    ("1", Category.D), ("2.5999", Category.D), ("2.60", Category.C), ("3.0643", Category.C),
    ("3.0644", Category.B), ("3.5323", Category.B), ("3.5324", Category.A), ("4", Category.A),
])
def test_an_element_is_categorised_on_its_nrr(nrr, category):
    assert skm.element_category(Fraction(nrr)) == category


def test_without_an_answer_to_every_element_there_is_no_index():
    result = skm.index(0, {}, {})
    assert result.ikm is None and result.converted is None and result.category is None
    assert result.nrr == {key: None for key in skm.KEYS}
    assert skm.lowest(result.nrr) == []


# Krejcie & Morgan (1970), Table 1: population N -> sample s.
TABLE = ("10 10, 15 14, 20 19, 25 24, 30 28, 35 32, 40 36, 45 40, 50 44, 55 48, 60 52, 65 56, 70 59, 75 63, "
         "80 66, 85 70, 90 73, 95 76, 100 80, 110 86, 120 92, 130 97, 140 103, 150 108, 160 113, 170 118, "
         "180 123, 190 127, 200 132, 210 136, 220 140, 230 144, 240 148, 250 152, 260 155, 270 159, 280 162, "
         "290 165, 300 169, 320 175, 340 181, 360 186, 380 191, 400 196, 420 201, 440 205, 460 210, 480 214, "
         "500 217, 550 226, 600 234, 650 242, 700 248, 750 254, 800 260, 850 265, 900 269, 950 274, 1000 278, "
         "1100 285, 1200 291, 1300 297, 1400 302, 1500 306, 1600 310, 1700 313, 1800 317, 1900 320, 2000 322, "
         "2200 327, 2400 331, 2600 335, 2800 338, 3000 341, 3500 346, 4000 351, 4500 354, 5000 357, 6000 361, "
         "7000 364, 8000 367, 9000 368, 10000 370, 15000 375, 20000 377, 30000 379, 40000 380, 50000 381, "
         "75000 382, 1000000 384")


def test_the_sample_size_matches_every_row_of_the_krejcie_morgan_table():
    rows = [tuple(map(int, pair.split())) for pair in TABLE.split(", ")]
    assert [(n, skm.sample_size(n)) for n, _ in rows] == rows
    assert (skm.sample_size(100), skm.sample_size(1000), skm.sample_size(10000)) == (80, 278, 370)


def test_a_small_population_is_surveyed_whole_and_none_needs_no_sample():
    assert skm.sample_size(0) == 0
    assert skm.sample_size(1) == 1
    assert skm.sample_size(5) == 5


def test_the_follow_up_plan_takes_the_three_lowest_with_ties_and_skips_perfect_elements():
    nrr = {key: Fraction(4) for key in skm.KEYS}
    assert skm.lowest(nrr) == []
    nrr.update({"2": Fraction(3), "5": Fraction("3.5"), "7": Fraction("3.5"), "9": Fraction("3.9")})
    assert skm.lowest(nrr) == ["2", "5", "7"]
    nrr["8"] = Fraction("3.5")
    assert skm.lowest(nrr) == ["2", "5", "7", "8"]


def test_nine_answers_of_one_to_four_are_accepted_as_numbers_or_digits():
    answers = {str(n): (n % 4) + 1 for n in range(1, 10)}
    answers["3"] = "2"
    assert skm.validate_answers(answers) == {**answers, "3": 2}


def test_missing_answers_are_named_all_at_once():
    with pytest.raises(skm.MissingAnswer) as caught:
        skm.validate_answers({"1": 4, "2": 4, "4": 4, "6": 4, "7": 4, "8": 4, "9": 3})
    assert caught.value.params["elements"] == "3, 5" and caught.value.params["field"] == "answers.3"
    assert skm.missing({"1": 4, "2": ""}) == ["2", "3", "4", "5", "6", "7", "8", "9"]


@pytest.mark.parametrize("bad", [0, 5, -1, True, 2.5, "x", "4a", None])
def test_an_answer_outside_one_to_four_names_its_element(bad):
    answers = {key: 3 for key in skm.KEYS}
    answers["6"] = bad
    error = skm.MissingAnswer if bad is None else skm.InvalidAnswer
    with pytest.raises(error) as caught:
        skm.validate_answers(answers)
    assert caught.value.params["element"] == "6"


def test_an_unknown_element_or_a_list_is_refused():
    with pytest.raises(skm.InvalidAnswer) as caught:
        skm.validate_answers({**{key: 3 for key in skm.KEYS}, "10": 4})
    assert caught.value.params["element"] == "10"
    with pytest.raises(skm.InvalidAnswer):
        skm.validate_answers([4] * 9)


def test_the_profile_is_optional_and_only_known_choices_pass():
    assert skm.validate_profile(None) == {"age_group": None, "sex": None, "education": None, "occupation": None}
    assert skm.validate_profile({"sex": "female", "age_group": ""})["sex"] == "female"
    with pytest.raises(skm.errors.InvalidInput):
        skm.validate_profile({"sex": "robot"})
    with pytest.raises(skm.errors.InvalidInput):
        skm.validate_profile({"nik": "3201010101010001"})


def test_a_comment_is_trimmed_and_capped():
    assert skm.clean_comment("  ") is None and skm.clean_comment(" Bagus ") == "Bagus"
    assert len(skm.clean_comment("x" * skm.COMMENT_MAX)) == skm.COMMENT_MAX
    with pytest.raises(skm.errors.InvalidInput):
        skm.clean_comment("x" * (skm.COMMENT_MAX + 1))


def test_the_survey_stays_open_for_the_given_days_after_the_ticket_was_finished():
    finished = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)
    assert skm.survey_open(finished, finished + timedelta(days=7), 7)
    assert not skm.survey_open(finished, finished + timedelta(days=7, seconds=1), 7)
