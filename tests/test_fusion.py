"""The learned models as files: features computed from signals, loading, refusing mismatches."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from qa.core.errors import WeightsMismatchError
from qa.ranking.features import DECLINE_FEATURES, RANK_FEATURES, decline_features, rank_features
from qa.ranking.models import DeclineModel, FusionModel, default_decline, default_fusion
from qa.ranking.signals import Evidence, Signals


def _signals(**changes: list[float]) -> Signals:
    n = len(next(iter(changes.values()))) if changes else 3
    values: dict[str, Any] = {
        name: np.zeros(n, dtype=np.float32)
        for name in ("dense", "sentence", "lexical", "phrase", "speaker", "title",
                     "answer_type", "sentence_lexical", "coverage", "sentence_coverage",
                     "headline")
    }
    values.update({name: np.asarray(v, dtype=np.float32) for name, v in changes.items()})
    return Signals(ids=np.arange(n), **values)


def _fusion(**weights: float) -> dict[str, Any]:
    return {
        "format": 1,
        "kind": "fusion",
        "features": list(RANK_FEATURES),
        "weights": [weights.get(name, 0.0) for name in RANK_FEATURES],
        "intercept": 0.0,
    }


def _decline(threshold: float = 0.5, **weights: float) -> dict[str, Any]:
    return {
        "format": 1,
        "kind": "decline",
        "features": list(DECLINE_FEATURES),
        "weights": [weights.get(name, 0.0) for name in DECLINE_FEATURES],
        "intercept": 0.0,
        "threshold": threshold,
    }


def _column(features: np.ndarray, name: str) -> list[float]:
    return [round(float(v), 4) for v in features[:, RANK_FEATURES.index(name)]]


def test_bm25_scores_are_divided_by_the_best_candidates_and_zero_stays_zero() -> None:
    features = rank_features(_signals(lexical=[30.0, 15.0, 0.0]))
    assert _column(features, "lexical") == [1.0, 0.5, 0.0]
    assert _column(rank_features(_signals(lexical=[0.0, 0.0, 0.0])), "lexical") == [0, 0, 0]


def test_cosines_are_kept_raw_and_as_a_gap_below_the_best() -> None:
    features = rank_features(_signals(dense=[0.2, 0.6, 0.5]))
    assert _column(features, "dense") == [0.2, 0.6, 0.5]
    assert _column(features, "dense_gap") == [-0.4, 0.0, -0.1]


def test_rank_features_are_reciprocal_ranks_under_each_retriever() -> None:
    features = rank_features(_signals(sentence=[0.1, 0.9, 0.5]))
    assert _column(features, "sentence_rank") == [round(1 / 3, 4), 1.0, 0.5]


def test_the_fusion_model_scores_by_its_weights() -> None:
    signals = _signals(dense=[0.9, 0.1], lexical=[0.0, 10.0])
    by_meaning = FusionModel.from_dict(_fusion(dense=1.0))
    by_words = FusionModel.from_dict(_fusion(lexical=1.0))
    assert np.argmax(by_meaning.score(signals)) == 0
    assert np.argmax(by_words.score(signals)) == 1


def test_a_model_file_with_other_features_is_refused_naming_the_fix(tmp_path: Path) -> None:
    data = _fusion()
    data["features"] = [*data["features"][:-1], "something_else"]
    path = tmp_path / "fusion.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(WeightsMismatchError, match=r"something_else.*fit_fusion\.py"):
        FusionModel.load(path)


def test_a_model_file_of_another_format_version_or_kind_is_refused() -> None:
    with pytest.raises(WeightsMismatchError, match="version-1 fusion"):
        FusionModel.from_dict({**_fusion(), "format": 2})
    with pytest.raises(WeightsMismatchError, match="decline"):
        DeclineModel.from_dict(_fusion())
    with pytest.raises(WeightsMismatchError, match="threshold"):
        DeclineModel.from_dict(_decline(threshold=1.5))


def test_an_unreadable_model_file_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "decline.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(WeightsMismatchError, match="cannot read model file"):
        DeclineModel.load(path)


def test_the_shipped_models_load_and_round_trip() -> None:
    fusion, decline = default_fusion(), default_decline()
    assert FusionModel.from_dict(fusion.to_dict()).linear.features == RANK_FEATURES
    assert DeclineModel.from_dict(decline.to_dict()).threshold == pytest.approx(
        decline.threshold, abs=1e-6
    )
    assert 0.0 < decline.threshold < 1.0
    # Provenance names where the weights came from; the check split is never fitted on (the
    # blind sets are, once they have been run as held-out sets).
    provenance = fusion.linear.provenance
    assert "fit_fusion.py" in provenance["fitted_by"]
    assert provenance["check"] and not set(provenance["check"]) & set(provenance["fit"])


def _evidence(**changes: object) -> Evidence:
    base: dict[str, Any] = {
        "answer_type": None,
        "answer_type_found": False,
        "asks_for_person_by_role": False,
        "person_found": False,
        "coverage": 0.5,
        "similarity": 0.5,
    }
    return Evidence(**{**base, **changes})


def test_decline_features_follow_the_evidence() -> None:
    features = dict(zip(DECLINE_FEATURES, decline_features(_evidence(
        answer_type="number", coverage=0.75, missing_focus="governor", negation_mismatch=True,
    )), strict=True))
    assert features["coverage"] == 0.75
    assert features["answer_type_asked"] == 1.0
    assert features["answer_type_missing"] == 1.0
    assert features["focus_missing"] == 1.0
    assert features["negation_mismatch"] == 1.0
    assert features["role_missing"] == 0.0


def test_the_decline_probability_is_a_logistic_of_the_weighted_evidence() -> None:
    model = DeclineModel.from_dict(_decline(coverage=4.0))
    assert model.probability(_evidence(coverage=0.0)) == pytest.approx(0.5)
    assert model.probability(_evidence(coverage=1.0)) == pytest.approx(1 / (1 + np.exp(-4.0)))
