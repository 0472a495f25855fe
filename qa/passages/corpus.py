"""Articles cut into passages, each with its speaker: everything that needs no model.

Attributing a large folder is the slow part of starting up (about 0.4 ms per passage: some
40 s for 100k passages), and it is pure: the same text always gives the same speakers. So
:func:`load_corpus` keeps what attribution found per article, keyed by the article's sha256
and by a fingerprint of the code that produced it, in one JSON file per source in the cache
directory. Unchanged articles are read back, new or edited ones attributed, deleted ones
dropped. A cache file that is unreadable, corrupt or from other code is ignored (with a
one-line warning when it is damaged) and rewritten; one that cannot be written is skipped.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from qa.core.files import write_atomically
from qa.core.types import Article, Passage, Person, Speaker
from qa.ingest.load import load_articles
from qa.passages.attribution import attribute
from qa.passages.chunk import chunk_article

__all__ = ["ArticleSource", "Corpus", "build_corpus", "load_corpus", "source_key"]

#: A file or folder to load, or articles already loaded (pasted text, an uploaded file).
ArticleSource = str | Path | Sequence[Article]

_log = logging.getLogger(__name__)
_FORMAT = 1


@dataclass(frozen=True)
class Corpus:
    """Articles cut into attributed passages; ``passages[i].id == i``."""

    articles: tuple[Article, ...]
    passages: tuple[Passage, ...]
    people: tuple[Person, ...]
    _texts: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_texts", {a.name: a.text for a in self.articles})

    def text_of(self, passage: Passage) -> str:
        """The full text of the article a passage comes from."""
        return self._texts[passage.article]


@dataclass(frozen=True, slots=True)
class _Attributed:
    """What attribution found in one article, independent of the article's file name."""

    #: (paragraph, start, end, speaker, kind) of each passage.
    chunks: tuple[tuple[int, int, int, Speaker | None, str], ...]
    people: tuple[Person, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "chunks": [
                [paragraph, start, end, speaker and [speaker.name, speaker.title], kind]
                for paragraph, start, end, speaker, kind in self.chunks
            ],
            "people": [
                [p.name, p.title, list(p.aliases), p.is_organization, p.gender]
                for p in self.people
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> _Attributed:
        chunks = tuple(
            (
                int(paragraph),
                int(start),
                int(end),
                Speaker(str(speaker[0]), speaker[1]) if speaker else None,
                str(kind),
            )
            for paragraph, start, end, speaker, kind in data["chunks"]
        )
        people = tuple(
            Person(
                str(name), title, tuple(map(str, aliases)), bool(organization),
                gender if gender in ("f", "m") else None,
            )
            for name, title, aliases, organization, gender in data["people"]
        )
        return cls(chunks, people)


def _attribute(article: Article, max_passage_words: int) -> _Attributed:
    attribution = attribute(article)
    chunks = []
    for chunk in chunk_article(article, max_passage_words):
        speaker, kind = attribution.span_speaker(chunk.start, chunk.end)
        chunks.append((chunk.paragraph, chunk.start, chunk.end, speaker, kind))
    return _Attributed(tuple(chunks), attribution.people)


def _fits(attributed: _Attributed, article: Article) -> bool:
    """Whether cached passages are possible for this text (a hand-edited or damaged cache
    must not produce passages that cut words in half or point past the end)."""
    size = len(article.text)
    return bool(attributed.chunks) and all(
        0 <= start < end <= size and kind in ("direct", "indirect", "narration")
        for _, start, end, _, kind in attributed.chunks
    )


def _merge_people(groups: Sequence[Sequence[Person]]) -> tuple[Person, ...]:
    merged: dict[str, Person] = {}
    for people in groups:
        for person in people:
            known = merged.get(person.name)
            if known is None:
                merged[person.name] = person
            else:
                aliases = tuple(dict.fromkeys((*known.aliases, *person.aliases)))
                merged[person.name] = Person(
                    known.name, known.title or person.title, aliases, known.is_organization,
                    known.gender or person.gender,
                )
    return tuple(merged.values())


def _assemble(articles: Sequence[Article], found: Sequence[_Attributed]) -> Corpus:
    passages: list[Passage] = []
    for article, attributed in zip(articles, found, strict=True):
        for paragraph, start, end, speaker, kind in attributed.chunks:
            passages.append(
                Passage(
                    id=len(passages),
                    article=article.name,
                    paragraph=paragraph,
                    start=start,
                    end=end,
                    text=article.text[start:end],
                    speaker=speaker,
                    kind=kind,  # type: ignore[arg-type]
                )
            )
    return Corpus(tuple(articles), tuple(passages), _merge_people([f.people for f in found]))


def _load(source: ArticleSource) -> tuple[Article, ...]:
    if isinstance(source, str | Path):
        return load_articles(source)
    return tuple(source)


def source_key(source: ArticleSource) -> str:
    """What caches of ``source`` are filed under: the resolved path of a file or folder, or
    for articles given as objects their content, so the same upload twice shares a cache."""
    if isinstance(source, str | Path):
        return str(Path(source).expanduser().resolve())
    digest = hashlib.sha256("\n".join(a.sha256 for a in source).encode("ascii"))
    return f"content:{digest.hexdigest()}"


def build_corpus(source: ArticleSource, *, max_passage_words: int = 120) -> Corpus:
    """Load (unless given articles), cut and attribute. No model, no torch, no cache."""
    articles = _load(source)
    return _assemble(articles, [_attribute(a, max_passage_words) for a in articles])


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """Hash of the code that turns text into attributed passages: a cache written by other
    code may hold other speakers, so it must not be trusted."""
    from qa.core import types
    from qa.passages import attribution, chunk
    from qa.text import lexicon, sentences

    files = [Path(str(module.__file__)) for module in (chunk, sentences, lexicon, types)]
    # Attribution is a package of stages: every one of its modules shapes the result.
    files += sorted(Path(str(attribution.__file__)).parent.glob("*.py"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _cache_file(cache_dir: Path, source_key: str) -> Path:
    digest = hashlib.sha256(source_key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return cache_dir / "corpus" / f"{digest}.json"


def _read_cache(path: Path, max_passage_words: int) -> dict[str, _Attributed]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if (
            data.get("format") != _FORMAT
            or data.get("code") != _code_fingerprint()
            or data.get("max_passage_words") != max_passage_words
        ):
            return {}
        return {sha: _Attributed.from_json(entry) for sha, entry in data["articles"].items()}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        _log.warning("attribution cache %s is unreadable (%s); attributing again", path, exc)
        return {}


def _write_cache(path: Path, max_passage_words: int, found: dict[str, _Attributed]) -> None:
    data = {
        "format": _FORMAT,
        "code": _code_fingerprint(),
        "max_passage_words": max_passage_words,
        "articles": {sha: attributed.to_json() for sha, attributed in found.items()},
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, json.dumps(data, separators=(",", ":")).encode("utf-8"))
    except OSError as exc:
        _log.info("attribution cache not written (%s); it is only a speed-up", exc)


def load_corpus(
    source: ArticleSource, *, max_passage_words: int = 120, cache_dir: Path | None = None
) -> Corpus:
    """:func:`build_corpus`, re-using attribution cached under ``cache_dir`` for articles
    whose text has not changed (no cache when ``cache_dir`` is None)."""
    if cache_dir is None:
        return build_corpus(source, max_passage_words=max_passage_words)
    articles = _load(source)
    path = _cache_file(cache_dir, source_key(source))
    cached = _read_cache(path, max_passage_words)
    found: dict[str, _Attributed] = {}
    for article in articles:
        entry = cached.get(article.sha256)
        if entry is None or not _fits(entry, article):
            entry = _attribute(article, max_passage_words)
        found[article.sha256] = entry
    if found.keys() != cached.keys():
        _write_cache(path, max_passage_words, found)
    return _assemble(articles, [found[a.sha256] for a in articles])
