"""Admin page of an office's recorded voice (/admin/<office>/voice): upload a human recording
(WAV, MP3 or Ogg) of any clip of the announcement plan, hear it, delete it, and see which
clips are recorded and which are still the generated espeak-ng voice. The files live in
<instance>/sounds/<office>/ (queueapp.voice_clips); the office's displays prefer them."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField

from ... import voice_clips
from ...domain.announce import LANGUAGES
from ...domain.permissions import Permission
from ...extensions import get_db, now
from ...services import voice as voice_ops
from .access import admin_page

bp = Blueprint("admin_voice", __name__, url_prefix="/admin")

REASONS = {
    "unknown_clip": _l("Choose a clip of the announcement."),
    "bad_type": _l("Upload a WAV, MP3 or Ogg sound file."),
    "too_big": _l("The file is too big (at most 2 MB for one clip)."),
    "empty": _l("The file is empty."),
}


class UploadForm(FlaskForm):
    clip = SelectField(_l("Clip"))
    file = FileField(_l("Recording (WAV, MP3 or Ogg, at most 2 MB)"), validators=[FileRequired()])


class DeleteForm(FlaskForm):
    pass


def _instance() -> Path:
    return Path(current_app.instance_path)


def _form() -> UploadForm:
    form = UploadForm()
    form.clip.choices = [(name, f"{name} · {text}") for name, text in voice_clips.PLAN.items()]
    return form


def _page(form: UploadForm, refused: str = "", status: int = 200):
    clips = voice_clips.clips(_instance(), g.office.slug)
    groups = [(_("Chime"), [c for c in clips if "/" not in c.name])] + [
        (lang, [c for c in clips if c.name.startswith(lang + "/")]) for lang in LANGUAGES]
    return render_template("admin/voice.html", office=g.office, section="voice", form=form, groups=groups,
                           delete=DeleteForm(), refused=refused,
                           recorded=sum(1 for c in clips if c.recorded), total=len(clips)), status


@admin_page(Permission.CONFIGURE)
def voice(slug: str):
    return _page(_form())


@admin_page(Permission.CONFIGURE)
def upload(slug: str):
    form = _form()
    if not form.validate_on_submit():
        return _page(form, "", 422)
    data = form.file.data.read(voice_clips.MAX_BYTES + 1)
    try:
        voice_ops.save_recording(get_db(), g.actor, g.office.slug, _instance(), form.clip.data,
                                 form.file.data.filename or "", data, now=now())
    except voice_clips.ClipRejected as exc:
        form.file.errors = [*form.file.errors, str(REASONS[exc.reason])]
        return _page(form, "", 413 if exc.reason == "too_big" else 422)
    flash(_("Recording saved: %(clip)s. The displays use it from the next call.", clip=form.clip.data))
    return redirect(url_for("admin_voice.voice", slug=g.office.slug))


@admin_page(Permission.CONFIGURE)
def remove(slug: str, name: str):
    form = DeleteForm()
    if not form.validate_on_submit():
        return _page(_form(), _("The form has expired. Please try again."), 400)
    try:
        voice_ops.delete_recording(get_db(), g.actor, g.office.slug, _instance(), name, now=now())
    except voice_clips.ClipRejected:
        return _page(_form(), str(REASONS["unknown_clip"]), 404)
    flash(_("Recording deleted: %(clip)s. The generated voice speaks it again.", clip=name))
    return redirect(url_for("admin_voice.voice", slug=g.office.slug))


bp.add_url_rule("/<slug>/voice", "voice", voice, methods=["GET"])
bp.add_url_rule("/<slug>/voice", "upload", upload, methods=["POST"])
bp.add_url_rule("/<slug>/voice/<path:name>/delete", "remove", remove, methods=["POST"])
