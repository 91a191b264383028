"""Where the front-end folders are: beside the package in a checkout, inside it in a wheel."""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
FOLDERS = ("display", "kiosk", "templates")


def folder(name: str) -> Path:
    """`display`, `kiosk` or `templates`: the installed copy first, then the checkout's."""
    for candidate in (PACKAGE / "_assets" / name, PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"asset folder {name!r} not found near {PACKAGE}")
