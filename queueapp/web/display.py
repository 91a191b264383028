"""The lobby display: /display/<office>, its assets (display/) and its spoken calls.

A display is configured by its URL, so one office can run several (an MPP has one
zone per agency):
  ?services=A,B     only calls and waiting counts of these services
  ?counters=1,2     only calls to these counter numbers
  ?lang=en          English screen and voice (Indonesian by default, whatever the
                    language of the TV's browser)
  ?calls=4          how many calls are shown together, the newest highlighted (1-8; default:
                    the display's setting, else 4);
                    ?history=N (previous calls) still works and means calls=N+1
  ?repeat=1         how many times each call is spoken (1-3)
  ?speech=1         use the browser's speech voice when it has one for the language
  ?display=NAME     a display configured in the office's administration: its services
                    (or its zone's services and counters), languages and repeat; the
                    parameters above still override it
  ?autostart=0|1    force or skip the one-tap start screen (default: skip it when the
                    browser may play sound without a tap)

Sound clips come from /display/<office>/sounds/<name>.<ext>: the office's recorded voice
when there is one, else the generated (espeak-ng) clip (queueapp.voice_clips says where).
The older /display-assets/sounds/ URLs still serve <instance>/sounds, else the package.
"""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, jsonify, render_template, request, send_from_directory, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.security import safe_join

from .. import assets
from ..domain import announce, errors
from ..extensions import get_db
from ..queries import boards
from ..queries import devices
from .. import voice_clips
from ..sounds import office_sounds

bp = Blueprint("display", __name__, static_folder=str(assets.folder("display")),
               static_url_path="/display-assets")

ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise errors.InvalidInput(f"{name} must be a number from {low} to {high}")
    return int(raw)


def _list_arg(name: str) -> list[str]:
    return [part.strip().upper() for part in request.args.get(name, "").split(",") if part.strip()]


def _filters(office, configured: devices.DisplaySettings) -> dict:
    known = set(office.services)
    services = _list_arg("services")
    unknown = [code for code in services if code not in known]
    if unknown:
        raise errors.ServiceNotFound(service=unknown[0])
    counters = _list_arg("counters")
    if not all(part.isdigit() for part in counters):
        raise errors.InvalidInput("counters must be counter numbers, e.g. 1,2")
    return {"services": services or list(configured.services),
            "counters": [int(part) for part in counters] or list(configured.counters)}


def _texts() -> dict:
    return {
        "start": _("Start display and enable sound"),
        "start_hint": _("Tap once. The display then runs and speaks the calls by itself."),
        "counter": _("Counter"), "offline": _("Offline, reconnecting..."),
        "no_call": _("No number has been called yet."), "waiting": _("waiting"),
    }


def _calls_arg(configured: int) -> int:
    """How many calls the board shows together (the display's setting unless the URL says);
    the older ?history=N listed N previous ones."""
    if request.args.get("calls", "").strip() or not request.args.get("history", "").strip():
        return _int_arg("calls", configured, 1, 8)
    return min(8, _int_arg("history", 5, 1, 8) + 1)


def _instance() -> Path:
    return Path(current_app.instance_path)


def clip_url(slug: str, name: str, clip: voice_clips.Clip | None = None) -> str:
    """Where a display fetches clip `name`: a recording carries its format and version."""
    if clip is not None and clip.recorded:
        return url_for("display.office_sound", slug=slug, filename=f"{name}.{clip.extension}", v=clip.version)
    return url_for("display.office_sound", slug=slug, filename=f"{name}.ogg")


@bp.get("/display/<slug>")
def board(slug: str):
    office = boards.office_facts(get_db(), slug)
    name = request.args.get("display", "").strip()
    configured = devices.display_settings(get_db(), slug, name) if name else devices.DisplaySettings("")
    url_lang = request.args.get("lang") if request.args.get("lang") in announce.LANGUAGES else None
    lang = url_lang or configured.languages[0]
    recorded = voice_clips.recorded(_instance(), office.slug)
    with force_locale(lang):
        config = {
            "office": office.slug, "lang": lang, "filters": _filters(office, configured),
            "display": name or None, "languages": [url_lang] if url_lang else list(configured.languages),
            "calls": _calls_arg(configured.calls), "repeat": _int_arg("repeat", configured.repeat, 1, 3),
            "speech": request.args.get("speech") == "1",
            "autostart": {"1": True, "0": False}.get(request.args.get("autostart", "")),
            "zone": ZONE_NAMES.get(office.timezone, ""), "timezone": office.timezone,
            "announce_url": url_for("display.announcement", slug=office.slug),
            "chime_url": clip_url(office.slug, announce.CHIME, recorded.get(announce.CHIME)),
            # Calls name their clips ("chime", "id/seratus"): files under this folder, and
            # the office's recordings at their own URLs (format and version).
            "sounds_url": url_for("display.office_sound", slug=office.slug, filename=f"{announce.CHIME}.ogg"
                                  ).removesuffix(f"{announce.CHIME}.ogg"),
            "recorded": {name: clip_url(office.slug, name, clip) for name, clip in recorded.items()},
            "texts": _texts(),
        }
        return render_template("display/board.html", office=office, config=config)


@bp.get("/display/<slug>/announce")
def announcement(slug: str):
    """The phrase and clip URLs of one call, e.g. ?number=A-123&counter=3&lang=id."""
    lang = request.args.get("lang", "id")
    counter = _int_arg("counter", 0, 1, 9999)
    office = boards.office_facts(get_db(), slug)
    call = announce.announcement(request.args.get("number", ""), counter, lang)
    names = [name if name == announce.CHIME else f"{lang}/{name}" for name in call.clips]
    clips = [clip_url(office.slug, name, voice_clips.find(_instance(), office.slug, name)) for name in names]
    response = jsonify({"text": call.text, "lang": call.lang, "clips": clips})
    response.cache_control.max_age = 3600
    return response


@bp.get("/display-assets/sounds/<path:filename>")
def sound(filename: str):
    """A clip: the office's own recording when it has one, else the packaged clip.
    (This rule is more specific than the blueprint's static one, so it takes these URLs.)"""
    own = office_sounds(Path(current_app.instance_path))
    path = safe_join(str(own), filename)
    if path is not None and Path(path).is_file():
        return send_from_directory(own, filename)
    return bp.send_static_file(f"sounds/{filename}")


@bp.get("/display/<slug>/sounds/<path:filename>")
def office_sound(slug: str, filename: str):
    """Clip "id/seratus.ogg" (any extension) of an office's displays: its recording when it
    has one, else the generated clip. Names outside the announcement plan are 404."""
    name = filename.rsplit(".", 1)[0] if "." in filename.rsplit("/", 1)[-1] else filename
    try:
        clip = voice_clips.find(_instance(), slug, name)
    except voice_clips.ClipRejected:
        clip = None
    if clip is None or clip.path is None:
        raise errors.NotFound("no such clip")
    response = send_from_directory(clip.path.parent, clip.path.name, mimetype=clip.media_type)
    response.cache_control.no_cache = True   # revalidate: a new recording is heard at once
    return response
