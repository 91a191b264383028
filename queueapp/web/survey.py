"""The citizen's satisfaction survey (SKM) page `/t/<token>/survei`: the nine elements as
plain questions with four big answers each, an optional profile and comment, then thanks.
A plain form POST (works without JavaScript); like leaving the queue, the ticket's
unguessable token is the credential, so the form needs no CSRF token that could expire
while a citizen takes their time. After sending, the page shows only thanks (a counter's
tablet hands it back without the clerk seeing the answers). Comments are never logged."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import messages
from ..domain import errors, skm
from ..extensions import csrf, get_db, now
from ..queries import skm as skm_views
from ..services import survey as survey_ops

bp = Blueprint("survey", __name__)
csrf.exempt(bp)

# The regulation's model questionnaire (PermenPANRB 14/2017), one question per element, with
# its four answers from 1 to 4.
QUESTIONS = {
    "1": (_l("Did the requirements match the service you received?"),
          (_l("Not suitable"), _l("Less suitable"), _l("Suitable"), _l("Very suitable"))),
    "2": (_l("How easy was the service procedure?"),
          (_l("Not easy"), _l("Less easy"), _l("Easy"), _l("Very easy"))),
    "3": (_l("How fast was the service?"),
          (_l("Not fast"), _l("Less fast"), _l("Fast"), _l("Very fast"))),
    "4": (_l("How fair was the fee for the service?"),
          (_l("Very expensive"), _l("Rather expensive"), _l("Cheap"), _l("Free of charge"))),
    "5": (_l("Did what you received match the published service standard?"),
          (_l("Not suitable"), _l("Less suitable"), _l("Suitable"), _l("Very suitable"))),
    "6": (_l("How capable were the staff who served you?"),
          (_l("Not capable"), _l("Less capable"), _l("Capable"), _l("Very capable"))),
    "7": (_l("How polite and friendly were the staff?"),
          (_l("Not polite or friendly"), _l("Less polite and friendly"), _l("Polite and friendly"),
           _l("Very polite and friendly"))),
    "8": (_l("How are complaints, suggestions and feedback handled here?"),
          (_l("There is no way to complain"), _l("There is one, but it does not work"),
           _l("It works, but not well enough"), _l("It is handled well"))),
    "9": (_l("How good are the facilities (waiting room, seats, toilets, parking)?"),
          (_l("Poor"), _l("Fair"), _l("Good"), _l("Very good"))),
}


def survey_days() -> int:
    return current_app.config.get("SURVEY_DAYS") or skm.DEFAULT_SURVEY_DAYS


def _at_counter() -> bool:
    """Opened on the counter's tablet: the thanks page then offers no link to the ticket."""
    return request.args.get("loket") == "1"


def _links(token: str) -> dict:
    extra = {"loket": 1} if _at_counter() else {}
    return {"action": url_for("survey.answer", token=token, **extra),
            "status": None if _at_counter() else url_for("status.page", token=token)}


def _questions() -> list[dict]:
    return [{"key": key, "element": _(skm.ELEMENTS[key]), "text": str(text),
             "answers": [(score, str(word)) for score, word in enumerate(words, start=1)]}
            for key, (text, words) in QUESTIONS.items()]


def _profile() -> list[dict]:
    return [{"field": field, "label": _(skm.PROFILE_FIELDS[field]),
             "choices": [(value, _(text)) for value, text in choices.items()]}
            for field, choices in skm.PROFILE.items()]


def _form(token: str, values: dict | None = None, missing=(), problem: str | None = None, status: int = 200):
    return render_template("survey/form.html", token=token, questions=_questions(), profile=_profile(),
                           values=values or {}, missing=list(missing), problem=problem, links=_links(token),
                           comment_max=skm.COMMENT_MAX), status


def _state_page(token: str, state: str, status: int = 200):
    return render_template(f"survey/{state}.html", token=token, links=_links(token), days=survey_days()), status


@bp.get("/t/<token>/survei")
def page(token: str):
    try:
        with get_db().read() as session:
            state = skm_views.survey_state(session, token, now=now(), days=survey_days())
    except errors.TicketNotFound:
        return render_template("status/not_found.html"), 404
    if state == "open":
        return _form(token)
    return _state_page(token, state)


@bp.post("/t/<token>/survei")
def answer(token: str):
    form = request.form
    answers = {key: form.get(f"u{key}", "") for key in skm.KEYS}
    profile = {field: form.get(field, "") for field in skm.PROFILE}
    values = {**answers, **profile, "comment": form.get("comment", "")}
    try:
        survey_ops.answer_survey(get_db(), token, answers, profile, form.get("comment"), now=now(),
                                 days=survey_days())
    except errors.TicketNotFound:
        return render_template("status/not_found.html"), 404
    except skm.AlreadyAnswered:
        return _state_page(token, "answered", 409)
    except skm.TicketNotFinished:
        return _state_page(token, "not_finished", 409)
    except skm.SurveyClosed:
        return _state_page(token, "closed", 409)
    except (skm.MissingAnswer, skm.InvalidAnswer) as exc:
        missing = skm.missing(answers) or [exc.params.get("element")]
        return _form(token, values, missing, _("Please answer every question. Not answered yet: %(questions)s.",
                                               questions=", ".join(missing)), 422)
    except errors.InvalidInput as exc:
        return _form(token, values, (), messages.for_error(exc), 422)
    return redirect(url_for("survey.thanks", token=token, **({"loket": 1} if _at_counter() else {})), code=303)


@bp.get("/t/<token>/survei/terima-kasih")
def thanks(token: str):
    return render_template("survey/thanks.html", token=token, links=_links(token))
