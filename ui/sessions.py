"""Server-side memory of the web UI: built articles in a bounded LRU, and one browser's session.

Encoding an article is the expensive step (seconds for a long one), so built pipelines are
shared between sessions in an :class:`ArticleLibrary` keyed by the article's content sha256:
the same article pasted or uploaded twice, by one visitor or two, is encoded once. The library
holds at most ``capacity`` articles besides the pinned default one and drops the least recently
used. A session whose article was dropped keeps its own reference until Gradio deletes the
session's state (when the tab closes), and its next article change goes through the library
again, so memory is bounded by the library plus the articles of the sessions still open.

A :class:`Session` is what one browser tab owns (its article and its conversation); it lives in
a ``gr.State``, which Gradio keeps per tab, so two visitors never share one.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from qa.answering.pipeline import Pipeline
    from qa.core.types import Article
    from qa.dialogue import Conversation

__all__ = ["ArticleLibrary", "Loaded", "Session"]

#: What the library keeps per article (the app stores the pipeline with its examples).
Entry = TypeVar("Entry")


class ArticleLibrary(Generic[Entry]):
    """A thread-safe LRU of built articles keyed by content sha256, with one pinned entry.

    ``build`` turns an article into an entry; it runs outside the library's lock, so a slow
    build never delays sessions asking about articles already built. Two sessions asking for
    the same new article at once share one build, and at most ``max_building`` different
    articles are built at once (encoding takes every core: more would only slow each down).
    """

    def __init__(
        self,
        build: Callable[[Article], Entry],
        *,
        capacity: int = 4,
        pinned: tuple[str, Entry] | None = None,
        max_building: int = 1,
    ) -> None:
        if capacity < 1 or max_building < 1:
            raise ValueError(f"capacity and max_building must be >= 1, not {capacity}, "
                             f"{max_building}")
        self._build = build
        self.capacity = capacity
        self._pinned = pinned
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[str, threading.Lock] = {}
        self._slots = threading.BoundedSemaphore(max_building)
        self.builds = 0  # how many times ``build`` ran: the cache's proof of work saved

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def lru_order(self) -> list[str]:
        """Cached keys, least recently used first (the pinned key is not among them)."""
        with self._lock:
            return list(self._entries)

    def get(self, article: Article) -> Entry:
        """The entry for ``article``, built on first use."""
        key = article.sha256
        if self._pinned is not None and key == self._pinned[0]:
            return self._pinned[1]
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
            build_lock = self._building.setdefault(key, threading.Lock())
        with build_lock:
            with self._lock:  # built by another session while this one waited
                if key in self._entries:
                    self._entries.move_to_end(key)
                    return self._entries[key]
            try:
                with self._slots:
                    entry = self._build(article)
            finally:
                with self._lock:
                    self._building.pop(key, None)
            with self._lock:
                self.builds += 1
                self._entries[key] = entry
                self._entries.move_to_end(key)
                while len(self._entries) > self.capacity:
                    self._entries.popitem(last=False)
            return entry


@dataclass(frozen=True, slots=True)
class Loaded:
    """An article (or the server's folder of articles) ready to answer questions: its
    pipeline and the examples it answers."""

    articles: tuple[Article, ...]
    pipeline: Pipeline
    examples: tuple[str, ...]

    @property
    def key(self) -> str:
        """The library key: the article's sha256, or one hash over a folder's articles (so a
        visitor pasting the folder's first article gets that article alone)."""
        if len(self.articles) == 1:
            return self.articles[0].sha256
        joined = "\n".join(a.sha256 for a in self.articles)
        return hashlib.sha256(joined.encode("ascii")).hexdigest()


@dataclass(slots=True)
class Session:
    """One browser tab: the article it is about and its conversation (None until the first
    question; "New conversation" resets it)."""

    loaded: Loaded
    conversation: Conversation | None = None
    #: Held while the conversation is asked or reset (one thread at a time).
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
