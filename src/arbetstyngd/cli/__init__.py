"""The ``arbetstyngd`` command line: a thin layer over the Python API.

Sub-command groups live in their own modules and are registered here.
"""

from __future__ import annotations

from .app import app, main

__all__ = ["app", "main"]
