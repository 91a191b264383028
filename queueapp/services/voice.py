"""An office's recorded voice for its lobby displays: storing and deleting a recording of
one clip, with the permission check and an audit entry (the files: queueapp.voice_clips)."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from .. import voice_clips
from ..db import Database
from ..domain.audit import AuditAction
from ..domain.permissions import WHOLE, Actor, Permission, require
from .audit import record


def _described(clip: voice_clips.Clip) -> dict:
    return {"voice": f"recorded ({clip.extension}, {clip.path.stat().st_size} bytes)" if clip.recorded
            and clip.scope == "office" else "generated"}


def save_recording(db: Database, actor: Actor, office_slug: str, instance_path: Path, clip: str, filename: str,
                   data: bytes, *, now: datetime) -> voice_clips.Clip:
    """Store the office's recording of `clip` (see voice_clips.save). Raises OfficeNotFound,
    PermissionDenied (office admins only), voice_clips.ClipRejected."""
    with db.write() as uow:
        office = uow.lock_office_by_slug(office_slug)
        require(actor, Permission.CONFIGURE, office.id, WHOLE)
        before = _described(voice_clips.find(instance_path, office.slug, clip))
        saved = voice_clips.save(instance_path, office.slug, clip, filename, data)
        record(uow, actor, AuditAction.OFFICE_UPDATED, now, office_id=office.id, target=f"voice:{clip}",
               before=before, after=_described(saved))
        return saved


def delete_recording(db: Database, actor: Actor, office_slug: str, instance_path: Path, clip: str, *,
                     now: datetime) -> bool:
    """Remove the office's recording of `clip`: its displays speak the word with the next
    voice found again (voice_clips.find). Raises OfficeNotFound, PermissionDenied, ClipRejected."""
    with db.write() as uow:
        office = uow.lock_office_by_slug(office_slug)
        require(actor, Permission.CONFIGURE, office.id, WHOLE)
        before = _described(voice_clips.find(instance_path, office.slug, clip))
        removed = voice_clips.delete(instance_path, office.slug, clip)
        if removed:
            record(uow, actor, AuditAction.OFFICE_UPDATED, now, office_id=office.id, target=f"voice:{clip}",
                   before=before, after={"voice": "generated"})
        return removed
