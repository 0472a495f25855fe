"""The Gradio chat UI over a :class:`qa.answering.pipeline.Pipeline`: ``build_app`` and ``launch``.

Importing this package does not import Gradio; :mod:`ui.app` imports it when an app is built.
"""

from __future__ import annotations

from ui.app import build_app, launch

__all__ = ["build_app", "launch"]
