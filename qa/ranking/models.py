"""Learned scores over hand-made signals: which passage ranks first, and how sure to be of it.

Two small logistic-regression models, fitted by ``benchmarks/fit_fusion.py`` on development
questions only and shipped as versioned JSON in ``qa/ranking/fitted/``; at run time only NumPy
reads them (a dot product), so no learning library is imported. They score arrays only: their
inputs are built in :mod:`qa.ranking.features`.

- The *fusion* model turns a candidate passage's signals (:class:`qa.ranking.signals.Signals`)
  into one score; its logit is the passage's score, so ranking is by a sum of weighted features.
- The *decline* model turns the evidence about the top passage
  (:class:`qa.ranking.signals.Evidence`) into a probability that it answers the question
  (``Answer.confidence``); the question is declined below the model's threshold, which was
  chosen on development questions for a small share of answerable questions declined.

Each file names its features in order; a file whose names differ from the features this code
computes is refused (``WeightsMismatchError``) rather than silently misread.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from qa.core.errors import WeightsMismatchError
from qa.ranking.features import (
    DECLINE_FEATURES,
    RANK_FEATURES,
    READING_FEATURES,
    decline_features,
    rank_features,
    reading_features,
)
from qa.ranking.signals import Evidence, Signals

__all__ = [
    "FORMAT_VERSION",
    "DeclineModel",
    "FusionModel",
    "ReadingModel",
    "default_decline",
    "default_fusion",
    "default_reading",
]

#: Bumped when the JSON layout changes; files of another version are refused.
FORMAT_VERSION = 1

@dataclass(frozen=True, slots=True)
class _Linear:
    """A logistic-regression model as stored: feature names, weights, intercept."""

    kind: str
    features: tuple[str, ...]
    weights: np.ndarray
    intercept: float
    #: Where the weights came from (script, data, figures): shipped for whoever reads the file.
    provenance: dict[str, Any]

    @staticmethod
    def _parse(
        data: dict[str, Any], kind: str, expected: tuple[str, ...], source: str
    ) -> _Linear:
        if data.get("format") != FORMAT_VERSION or data.get("kind") != kind:
            raise WeightsMismatchError(
                f"{source} is not a version-{FORMAT_VERSION} {kind} model "
                f"(format {data.get('format')!r}, kind {data.get('kind')!r}); "
                "refit it with benchmarks/fit_fusion.py"
            )
        features = tuple(data.get("features", ()))
        if features != expected:
            raise WeightsMismatchError(
                f"{source} has features {list(features)}, but this code computes "
                f"{list(expected)}; refit it with benchmarks/fit_fusion.py"
            )
        weights = np.asarray(data["weights"], dtype=np.float64)
        if weights.shape != (len(expected),):
            raise WeightsMismatchError(
                f"{source} has {weights.size} weights for {len(expected)} features; "
                "refit it with benchmarks/fit_fusion.py"
            )
        return _Linear(kind, features, weights, float(data["intercept"]),
                       dict(data.get("provenance", {})))

    def logits(self, rows: np.ndarray) -> np.ndarray:
        return np.asarray(rows, dtype=np.float64) @ self.weights + self.intercept

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "kind": self.kind,
            "features": list(self.features),
            "weights": [round(float(w), 6) for w in self.weights],
            "intercept": round(self.intercept, 6),
            "provenance": self.provenance,
        }


@dataclass(frozen=True, slots=True)
class FusionModel:
    """Scores candidate passages: a linear function of :func:`rank_features`."""

    linear: _Linear

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "fusion model") -> FusionModel:
        return cls(_Linear._parse(data, "fusion", RANK_FEATURES, source))

    @classmethod
    def load(cls, path: Path) -> FusionModel:
        return cls.from_dict(_read(path), str(path))

    def score(self, signals: Signals) -> np.ndarray:
        """One score per candidate (a logit: higher ranks first)."""
        return self.linear.logits(rank_features(signals))

    def to_dict(self) -> dict[str, Any]:
        return self.linear.as_dict()


@dataclass(frozen=True, slots=True)
class DeclineModel:
    """The probability that the top passage answers the question, and where to decline."""

    linear: _Linear
    #: Questions whose probability is below this are declined.
    threshold: float
    #: The hard rules (:class:`qa.ranking.decline.DeclinePolicy`) measured to add to the model.
    rules: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "decline model") -> DeclineModel:
        linear = _Linear._parse(data, "decline", DECLINE_FEATURES, source)
        threshold = float(data.get("threshold", -1.0))
        if not 0.0 <= threshold <= 1.0:
            raise WeightsMismatchError(f"{source}: threshold {threshold} is not in [0, 1]")
        return cls(linear, threshold, tuple(data.get("rules", ())))

    @classmethod
    def load(cls, path: Path) -> DeclineModel:
        return cls.from_dict(_read(path), str(path))

    def probability(self, evidence: Evidence) -> float:
        logit = float(self.linear.logits(decline_features(evidence)))
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, logit))))

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.linear.as_dict(),
            "threshold": round(self.threshold, 6),
            "rules": list(self.rules),
        }


@dataclass(frozen=True, slots=True)
class ReadingModel:
    """How the reader's verdicts are used: a second-stage score for the passages it read (a
    linear function of :func:`reading_features`), and the span confidence above which its
    span is the short answer."""

    linear: _Linear
    #: A span whose start + end logit is at least this is given as the short answer.
    span_threshold: float

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "reading model") -> ReadingModel:
        linear = _Linear._parse(data, "reading", READING_FEATURES, source)
        return cls(linear, float(data.get("span_threshold", math.inf)))

    @classmethod
    def load(cls, path: Path) -> ReadingModel:
        return cls.from_dict(_read(path), str(path))

    def score(
        self, scores: np.ndarray, answerable: np.ndarray, span_scores: np.ndarray
    ) -> np.ndarray:
        """One second-stage score per read passage (higher ranks first)."""
        return self.linear.logits(reading_features(scores, answerable, span_scores))

    def to_dict(self) -> dict[str, Any]:
        return {**self.linear.as_dict(), "span_threshold": round(self.span_threshold, 6)}


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise WeightsMismatchError(f"cannot read model file {path} ({exc})") from exc
    if not isinstance(data, dict):
        raise WeightsMismatchError(f"{path}: expected a JSON object")
    return data


def _packaged(name: str) -> tuple[dict[str, Any], str]:
    resource = resources.files("qa.ranking") / "fitted" / name
    return json.loads(resource.read_text(encoding="utf-8")), f"qa/ranking/fitted/{name}"


@lru_cache(maxsize=1)
def default_fusion() -> FusionModel:
    """The shipped fusion model (``qa/ranking/fitted/fusion.json``)."""
    return FusionModel.from_dict(*_packaged("fusion.json"))


@lru_cache(maxsize=1)
def default_decline() -> DeclineModel:
    """The shipped decline model (``qa/ranking/fitted/decline.json``)."""
    return DeclineModel.from_dict(*_packaged("decline.json"))


@lru_cache(maxsize=1)
def default_reading() -> ReadingModel:
    """The shipped reading model (``qa/ranking/fitted/reading.json``)."""
    return ReadingModel.from_dict(*_packaged("reading.json"))
