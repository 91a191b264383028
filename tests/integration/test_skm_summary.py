"""The SKM summary of an office computed in SQL equals the hand-worked index, on SQLite and
PostgreSQL; answering refuses unfinished, closed, duplicate and badly answered tickets."""
from datetime import timedelta
from threading import Barrier, Thread

import pytest
from sqlalchemy import func, select

from queueapp.domain import errors, skm
from queueapp.models import Office, SurveyResponse
from queueapp.queries.skm import skm_summary, survey_state
from queueapp.services.survey import answer_survey

from .skm_support import answers, issue, serve

# The worked example of tests/unit/test_skm_index.py: IKM 3.25, converted 81.25, B.
EXAMPLE = [(4, 4, 3, 4, 3, 4, 4, 3, 3), (3, 3, 3, 4, 3, 3, 4, 3, 2), (4, 3, 2, 4, 3, 4, 4, 2, 3),
           (3, 3, 3, 4, 3, 3, 3, 3, 3)]


def office_id(db) -> int:
    with db.read() as s:
        return s.execute(select(Office.id).where(Office.slug == "demo")).scalar_one()


def test_known_answers_give_the_hand_worked_index_exactly(any_db, demo, clock):
    for scores in EXAMPLE:
        answer_survey(demo, serve(demo, clock, "A"), answers(*scores), now=clock.advance(minutes=1))
    serve(demo, clock, "B")                      # served, not answering: counted in the population
    issue(demo, clock, "A")                      # still waiting: not served
    day = clock().date()
    with demo.read() as s:
        result = skm_summary(s, office_id(demo), day, day)
    assert result == {
        "respondents": 4,
        "nrr": {"1": 3.5, "2": 3.25, "3": 2.75, "4": 4.0, "5": 3.0, "6": 3.5, "7": 3.75, "8": 2.75, "9": 2.75},
        "ikm": 3.25, "ikm_converted": 81.25, "category": {"letter": "B", "label": "baik"},
        "served": 5, "sample_needed": 5, "lowest": ["3", "8", "9"],
    }
    with demo.read() as s:
        only_b = skm_summary(s, office_id(demo), day, day, "b")
        with pytest.raises(errors.ServiceNotFound):
            skm_summary(s, office_id(demo), day, day, "Z")
    assert only_b["respondents"] == 0 and only_b["ikm"] is None and only_b["category"] is None
    assert only_b["served"] == 1 and only_b["nrr"]["1"] is None


def test_a_perfect_survey_scores_100_and_another_day_is_not_counted(any_db, demo, clock):
    answer_survey(demo, serve(demo, clock), answers(*[4] * 9), now=clock())
    day = clock().date()
    with demo.read() as s:
        result = skm_summary(s, office_id(demo), day, day)
        tomorrow = skm_summary(s, office_id(demo), day + timedelta(days=1), day + timedelta(days=1))
    assert (result["ikm"], result["ikm_converted"], result["category"]["letter"]) == (4.0, 100.0, "A")
    assert tomorrow["respondents"] == 0 and tomorrow["served"] == 0


def test_a_ticket_not_yet_finished_cannot_be_answered(demo, clock):
    token = issue(demo, clock)["token"]
    with pytest.raises(skm.TicketNotFinished):
        answer_survey(demo, token, answers(*[3] * 9), now=clock())
    with demo.read() as s:
        assert survey_state(s, token, now=clock()) == "not_finished"


def test_the_survey_closes_days_after_the_service(demo, clock):
    token = serve(demo, clock)
    with pytest.raises(skm.SurveyClosed):
        answer_survey(demo, token, answers(*[3] * 9), now=clock() + timedelta(days=3, minutes=1), days=3)
    with demo.read() as s:
        assert survey_state(s, token, now=clock() + timedelta(days=8)) == "closed"
        assert survey_state(s, token, now=clock() + timedelta(days=6)) == "open"
    answer_survey(demo, token, answers(*[3] * 9), now=clock() + timedelta(days=3), days=3)


def test_a_second_answer_for_the_same_ticket_is_refused(demo, clock):
    token = serve(demo, clock)
    answer_survey(demo, token, answers(*[3] * 9), now=clock())
    with pytest.raises(skm.AlreadyAnswered):
        answer_survey(demo, token, answers(*[1] * 9), now=clock())
    with demo.read() as s:
        assert survey_state(s, token, now=clock()) == "answered"


def test_an_unknown_token_is_not_found(demo, clock):
    with pytest.raises(errors.TicketNotFound):
        answer_survey(demo, "no-such-token", answers(*[3] * 9), now=clock())


def test_a_bad_score_names_its_element_and_stores_nothing(demo, clock):
    token = serve(demo, clock)
    with pytest.raises(skm.InvalidAnswer) as caught:
        answer_survey(demo, token, {**answers(*[3] * 9), "4": 7}, now=clock())
    assert caught.value.params["element"] == "4"
    with pytest.raises(skm.MissingAnswer):
        answer_survey(demo, token, answers(*[3] * 8), now=clock())
    with demo.read() as s:
        assert s.execute(select(func.count()).select_from(SurveyResponse)).scalar_one() == 0


def test_the_profile_and_comment_are_stored_without_identity(demo, clock):
    token = serve(demo, clock, "C")
    answer_survey(demo, token, answers(*[2] * 9), {"sex": "female", "education": "sma"}, "  Antrian cepat  ",
                  now=clock())
    with demo.read() as s:
        row = s.execute(select(SurveyResponse)).scalar_one()
    assert (row.sex, row.education, row.age_group, row.comment) == ("female", "sma", None, "Antrian cepat")
    assert row.scores() == answers(*[2] * 9) and row.version == skm.QUESTIONNAIRE_VERSION
    assert row.business_date == clock().date()


def test_two_answers_at_once_for_one_ticket_store_exactly_one(any_db, demo, clock):
    token = serve(demo, clock)
    start, outcomes = Barrier(2), []

    def answer(score):
        start.wait()
        try:
            answer_survey(demo, token, answers(*[score] * 9), now=clock())
            outcomes.append("stored")
        except skm.AlreadyAnswered:
            outcomes.append("already_answered")

    threads = [Thread(target=answer, args=(score,)) for score in (2, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_answered", "stored"]
    with demo.read() as s:
        assert s.execute(select(func.count()).select_from(SurveyResponse)).scalar_one() == 1


def test_the_sql_summary_equals_the_pure_index_of_the_same_rows(any_db, demo, clock):
    """Random answers over three services: the SQL sums and counts give what domain.skm
    computes from the stored rows in plain Python."""
    import random
    rng = random.Random(14)
    for _ in range(12):
        scores = [rng.randint(1, 4) for _ in skm.KEYS]
        answer_survey(demo, serve(demo, clock, rng.choice("ABC")), answers(*scores), now=clock())
    day = clock().date()
    with demo.read() as s:
        rows = [row.scores() for row in s.execute(select(SurveyResponse)).scalars()]
        result = skm_summary(s, office_id(demo), day, day)
    expected = skm.index(len(rows), {k: sum(r[k] for r in rows) for k in skm.KEYS}, {k: len(rows) for k in skm.KEYS})
    assert result["respondents"] == 12
    assert result["ikm_converted"] == float(skm.two_decimals(expected.converted))
    assert result["category"]["letter"] == expected.category.value
    assert result["nrr"] == {k: float(skm.two_decimals(v)) for k, v in expected.nrr.items()}
    assert result["lowest"] == skm.lowest(expected.nrr)
