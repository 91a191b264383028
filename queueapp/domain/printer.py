"""A kiosk printer's health: its states, which of them stop printing, and how the ESC/POS
real-time status bytes (DLE EOT n) map onto them.

What can be known depends on the print path:
- Browser printing (Chromium `--kiosk-printing`, the PDF in a hidden frame): nothing about
  paper. `window.print()` returns once the job is handed to the OS spooler (CUPS) and
  `afterprint` only says the print dialog closed; a paused or paperless printer keeps the
  job queued. The kiosk can only tell "the print call threw or never came back" (UNCONFIRMED),
  and an office can mark the kiosk out of paper by hand (MARKED_OUT).
- Direct ESC/POS printing: the printer answers DLE EOT 1/2/4 with one status byte each
  (Epson "Transmit real-time status"): offline, cover open, paper end, paper near end.
"""
from __future__ import annotations

import enum

DLE_EOT = b"\x10\x04"
PRINTER_STATUS = DLE_EOT + b"\x01"   # n=1: bit 3 = offline
OFFLINE_CAUSE = DLE_EOT + b"\x02"    # n=2: bit 2 = cover open, bit 5 = stopped by paper end, bit 6 = error
PAPER_SENSOR = DLE_EOT + b"\x04"     # n=4: bits 2-3 = paper near end, bits 5-6 = paper end


class PrinterState(str, enum.Enum):
    OK = "ok"                    # the last print went through (browser: handed to the spooler)
    PAPER_LOW = "paper_low"      # ESC/POS near-end sensor: still prints, refill soon
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"          # no answer, or the printer says it is offline
    ERROR = "error"              # the printer reports an error (cutter, head temperature)
    UNCONFIRMED = "unconfirmed"  # the browser's print call threw or did not finish in time
    MARKED_OUT = "marked_out"    # staff marked the kiosk out of paper: it shows numbers on screen


# States a kiosk reports itself (the rest come from ESC/POS status or from staff).
REPORTED = frozenset({PrinterState.OK, PrinterState.UNCONFIRMED})
# States staff are alerted about.
ATTENTION = frozenset(PrinterState) - {PrinterState.OK}
# States in which the kiosk does not try to print and shows the number on screen at once.
SCREEN_ONLY = frozenset({PrinterState.MARKED_OUT})
# States in which a direct printer is not sent the ticket.
NOT_PRINTABLE = frozenset({PrinterState.PAPER_OUT, PrinterState.COVER_OPEN, PrinterState.OFFLINE,
                           PrinterState.ERROR, PrinterState.MARKED_OUT})


def decode_status(printer: bytes, cause: bytes, paper: bytes) -> PrinterState:
    """The state from the answers to DLE EOT 1, 2 and 4 (one byte each; empty: no answer).
    Cover open and paper end come first: a printer with either is also "offline"."""
    if not printer:
        return PrinterState.OFFLINE
    cause_bits = cause[0] if cause else 0
    paper_bits = paper[0] if paper else 0
    if cause_bits & 0x04:
        return PrinterState.COVER_OPEN
    if cause_bits & 0x20 or paper_bits & 0x60:
        return PrinterState.PAPER_OUT
    if cause_bits & 0x40:
        return PrinterState.ERROR
    if printer[0] & 0x08:
        return PrinterState.OFFLINE
    if paper_bits & 0x0C:
        return PrinterState.PAPER_LOW
    return PrinterState.OK


def after_report(current: PrinterState | None, reported: PrinterState) -> PrinterState:
    """The state after a kiosk's own report: a kiosk cannot undo a staff mark (only staff
    say the paper is back)."""
    if current == PrinterState.MARKED_OUT:
        return current
    return reported
