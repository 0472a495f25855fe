"""Plain-text tables of :class:`Report` s: one report, or several side by side."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from qa.evaluation.results import Report

__all__ = ["format_comparison", "format_report"]


def _rate(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _rows(report: Report) -> list[tuple[str, str]]:
    return [
        ("answerable questions", str(report.n_answerable)),
        ("recall@1", _rate(report.recall_at_1)),
        ("recall@3", _rate(report.recall_at_3)),
        ("recall@5", _rate(report.recall_at_5)),
        ("MRR@10", _rate(report.mrr_at_10)),
        ("nDCG@10", _rate(report.ndcg_at_10)),
        ("wrongly declined", f"{report.wrongly_declined} / {report.n_answerable}"),
        ("questions with a speaker", str(report.n_with_speaker)),
        ("speaker accuracy@1", _rate(report.speaker_accuracy_at_1)),
        ("unanswerable questions", str(report.n_unanswerable)),
        ("declined unanswerable", f"{report.declined_unanswerable} / {report.n_unanswerable}"),
        ("short answers given", f"{report.n_short} / {report.n_short_typed} typed"),
        ("short answer exact match", _rate(report.short_exact_match)),
        ("short answer F1", _rate(report.short_f1)),
        ("latency p50 (ms, warm)", f"{report.latency_p50_ms:.1f}"),
        ("latency p95 (ms, warm)", f"{report.latency_p95_ms:.1f}"),
        *(
            []
            if report.n_followups is None
            else [
                ("follow-up questions", str(report.n_followups)),
                ("recall@1 follow-ups", _rate(report.recall_at_1_followups)),
                ("recall@3 follow-ups", _rate(report.recall_at_3_followups)),
            ]
        ),
    ]


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def render(row: Sequence[str]) -> str:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([render(header), rule, *(render(row) for row in rows)])


def format_report(report: Report) -> str:
    """A plain-text table of one report."""
    return _table(("metric", "value"), _rows(report))


def format_comparison(reports: Mapping[str, Report]) -> str:
    """One plain-text table: a row per metric, a column per retriever."""
    if not reports:
        raise ValueError("no reports to compare")
    columns = [_rows(report) for report in reports.values()]
    rows = [
        [label, *(column[index][1] for column in columns)]
        for index, (label, _) in enumerate(columns[0])
    ]
    return _table(("metric", *reports), rows)
