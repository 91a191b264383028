"""A kiosk printer's state from ESC/POS real-time status bytes, and its staff alert."""
from datetime import datetime, timedelta, timezone

import pytest

from queueapp.domain.alerts import AlertKind, KioskFigure, evaluate
from queueapp.domain.printer import PrinterState, after_report, decode_status

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)
S = PrinterState


@pytest.mark.parametrize("printer, cause, paper, state", [
    (b"\x16", b"\x12", b"\x12", S.OK),
    (b"\x16", b"\x12", b"\x1e", S.PAPER_LOW),            # near-end sensor (bits 2-3)
    (b"\x1e", b"\x32", b"\x72", S.PAPER_OUT),            # stopped at paper end, roll sensor empty
    (b"\x16", b"\x12", b"\x72", S.PAPER_OUT),            # empty roll seen before it stops
    (b"\x1e", b"\x16", b"\x12", S.COVER_OPEN),
    (b"\x1e", b"\x36", b"\x72", S.COVER_OPEN),           # cover open wins: closing it comes first
    (b"\x1e", b"\x52", b"\x12", S.ERROR),
    (b"\x1e", b"\x12", b"\x12", S.OFFLINE),
    (b"", b"", b"", S.OFFLINE),                          # no answer at all
])
def test_escpos_status_bytes_map_to_one_state(printer, cause, paper, state):
    assert decode_status(printer, cause, paper) == state


def test_a_kiosk_cannot_lift_a_staff_mark_out_of_paper():
    assert after_report(S.MARKED_OUT, S.OK) == S.MARKED_OUT
    assert after_report(S.UNCONFIRMED, S.OK) == S.OK
    assert after_report(None, S.UNCONFIRMED) == S.UNCONFIRMED


def test_every_printer_state_but_ok_is_a_printer_alert_by_kiosk_name():
    kiosks = [KioskFigure("lobi-2", "paper_out", NOW - timedelta(minutes=12)), KioskFigure("lobi-1", "ok", NOW),
              KioskFigure("lobi-3", None, None), KioskFigure("lantai-2", "marked_out", NOW)]
    found = evaluate([], [], NOW, 15, kiosks=kiosks)
    assert [(a.kind, a.subject, a.detail, a.minutes) for a in found] == [
        (AlertKind.PRINTER, "lantai-2", "marked_out", 0), (AlertKind.PRINTER, "lobi-2", "paper_out", 12)]
    assert found[1].as_dict()["key"] == "printer:lobi-2" and found[1].as_dict()["detail"] == "paper_out"
