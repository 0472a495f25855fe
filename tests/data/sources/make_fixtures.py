"""Write the PDF fixtures of tests/test_sources.py (run from anywhere; output is committed).

    .venv/bin/python tests/data/sources/make_fixtures.py

A hand-rolled PDF writer (Helvetica, one text object per line) keeps the fixtures tiny and
exactly known: the test can say which lines, headers and hyphens are on which page.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).parent
WIDTH, HEIGHT = 612, 792
LEADING = 14


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _stream(lines: list[tuple[float, float, str]], size: int = 11) -> bytes:
    ops = [f"BT /F1 {size} Tf {x:.0f} {y:.0f} Td ({_escape(t)}) Tj ET" for x, y, t in lines]
    return "\n".join(ops).encode("latin-1")


def write_pdf(path: Path, pages: list[bytes], info: dict[str, str] | None = None) -> None:
    """A PDF with one content stream per page and an optional Info dictionary."""
    objects: list[bytes] = []
    n_pages = len(pages)
    page_ids = [3 + 2 * i for i in range(n_pages)]
    font_id = 3 + 2 * n_pages
    info_id = font_id + 1
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{i} 0 R" for i in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    for i, content in enumerate(pages):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {WIDTH} {HEIGHT}] "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {page_ids[i] + 1} 0 R >>"
            .encode()
        )
        objects.append(
            f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream"
        )
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    if info:
        entries = " ".join(f"/{k} ({_escape(v)})" for k, v in info.items())
        objects.append(f"<< {entries} >>".encode("latin-1"))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R"
    trailer += f" /Info {info_id} 0 R >>" if info else " >>"
    out += f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))


def _column(
    paragraphs: Sequence[str | list[str]], x: float, top: float, width: int
) -> list[tuple[float, float, str]]:
    """Lines of the paragraphs wrapped at ``width`` characters (a list is a paragraph already
    cut into lines), with half a line of space between paragraphs."""
    lines: list[tuple[float, float, str]] = []
    y = top
    for paragraph in paragraphs:
        wrapped = paragraph if isinstance(paragraph, list) else textwrap.wrap(paragraph, width)
        for line in wrapped:
            lines.append((x, y, line))
            y -= LEADING
        y -= LEADING // 2
    return lines


ARTICLE_PAGES: list[list[str | list[str]]] = [
    [
        "Harbour ferry line approved",
        "The city council approved a new ferry line between the old harbour and the "
        "university campus on Tuesday, ending a debate that lasted more than two years.",
        '"This line will take four thousand cars off the bridge every day," said Maria '
        "Lopez, the council's transport director. The first boats are due in the spring.",
        "Critics said the fares were too high for students and that the timetable left "
        "the night shift without a service.",
    ],
    [
        "Shipyard workers welcome the order",
        "The two boats will be built at the municipal shipyard, which had lost its last "
        "contract in March.",
        '"We have waited a long time for this," said Tom Baker, a welder at the yard. He '
        "said forty jobs depended on the order.",
        # A word hyphenated across a line break, cut by hand so the break is exact.
        [
            "The shipyard manager called the contract a turning point for the dock-",
            "yard and its apprentices.",
        ],
    ],
]


def make_article_pdf() -> None:
    pages = []
    for number, paragraphs in enumerate(ARTICLE_PAGES, start=1):
        header: tuple[float, float, str] = (72, 760, "The Harbour Gazette - City news")
        footer: tuple[float, float, str] = (300, 40, f"Page {number}")
        lines = [header, *_column(paragraphs, 72, 720, 78), footer]
        pages.append(_stream(lines))
    write_pdf(
        HERE / "article.pdf",
        pages,
        {
            "Title": "Harbour ferry line approved",
            "Author": "Ana Ruiz",
            "CreationDate": "D:20240305120000Z",
        },
    )


LEFT = [
    "Left column first paragraph about the river festival, which opened on Friday with a "
    "parade of boats along the embankment.",
    '"We expect thirty thousand visitors," said festival director Ines Marlow.',
]
RIGHT = [
    "Right column paragraph about the weather, which forecasters said would stay dry for "
    "the whole weekend.",
]


def make_two_columns_pdf() -> None:
    lines = _column(LEFT, 50, 740, 40) + _column(RIGHT, 320, 740, 40)
    write_pdf(HERE / "two_columns.pdf", [_stream(lines)])


def make_scanned_pdf() -> None:
    # A page that only paints (as a scanned image would): no text operators at all.
    write_pdf(HERE / "scanned.pdf", [b"0.5 g 72 72 468 648 re f"])


if __name__ == "__main__":
    make_article_pdf()
    make_two_columns_pdf()
    make_scanned_pdf()
