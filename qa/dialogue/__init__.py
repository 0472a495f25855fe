"""Conversations: follow-ups ("What did he say?", "Why?") understood in the light of earlier
turns (:mod:`qa.dialogue.resolve`, pure) and answered by the pipeline
(:mod:`qa.dialogue.conversation`)."""

from __future__ import annotations

from qa.dialogue.conversation import (
    MAX_HISTORY_TURNS,
    Conversation,
    Turn,
    conversation,
    validate_history,
)
from qa.dialogue.resolve import ArticleView, DialogueState, Resolution, Rule, advance, resolve

__all__ = [
    "MAX_HISTORY_TURNS",
    "ArticleView",
    "Conversation",
    "DialogueState",
    "Resolution",
    "Rule",
    "Turn",
    "advance",
    "conversation",
    "resolve",
    "validate_history",
]
