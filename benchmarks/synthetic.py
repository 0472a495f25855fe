"""A synthetic news collection for scale benchmarks: many articles, written to a folder.

Each article is about one city's plan in one field, told in ~20 paragraphs drawn from varied
templates: narration, direct quotes ("...," Name said.), reported speech (Name said that ...),
figures and dates, so the attribution and chunking paths do real work and no two paragraphs
are identical. Deterministic for a given seed; paragraphs average ~60 words, like the seed
article's longer ones.

    .venv/bin/python benchmarks/synthetic.py /tmp/collection --articles 2000 --paragraphs 20
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Sequence
from pathlib import Path

__all__ = ["article_text", "write_collection"]

_CITIES = (
    "Shanghai Hangzhou Shenzhen Chengdu Wuhan Nanjing Tianjin Xi'an Suzhou Qingdao Harbin "
    "Kunming Xiamen Dalian Changsha Hefei Ningbo Fuzhou Lanzhou Nanning"
).split()
_FIELDS = (
    "integrated circuits",
    "biopharmaceuticals",
    "artificial intelligence",
    "new energy vehicles",
    "marine engineering",
    "aerospace materials",
    "quantum communication",
    "green hydrogen",
    "urban agriculture",
    "public health data",
    "river restoration",
    "vocational education",
    "cultural tourism",
    "cold-chain logistics",
    "semiconductor equipment",
    "industrial robotics",
)
_SURNAMES = (
    "Wang Li Zhang Liu Chen Yang Zhao Huang Zhou Wu Xu Sun Hu Zhu Gao Lin He Guo Ma Luo".split()
)
_GIVEN = (
    "Wei Fang Min Jing Lei Yan Qiang Hui Jun Ping Tao Xin Hong Bo Yu Dajin Xiaoming Lina".split()
)
_ROLES = (
    "director of the municipal science and technology commission",
    "deputy mayor in charge of industry",
    "head of the city's development and reform commission",
    "chief engineer at the provincial research institute",
    "president of the local university",
    "chairwoman of the chamber of commerce",
    "secretary of the district Party committee",
    "professor of economics at the academy of social sciences",
    "founder of a start-up incubator",
    "spokesperson for the environmental bureau",
)
_PLACES = (
    "the new science park",
    "the harbour district",
    "the old textile quarter",
    "the airport economic zone",
    "the university town",
    "the eastern industrial belt",
)
_VERBS = ("said", "noted", "added", "stressed", "explained", "told reporters")
_GOALS = (
    "double the number of patents filed each year",
    "train ten thousand engineers by the end of the decade",
    "cut the time needed to register a company to one day",
    "attract research centres from abroad",
    "build a pilot production line within two years",
    "link laboratories with factories in the region",
    "lower the cost of capital for small firms",
    "open public data to researchers",
)
_CONCERNS = (
    "a shortage of skilled technicians",
    "rising land prices",
    "slow approval of clinical trials",
    "dependence on imported components",
    "competition from neighbouring provinces",
    "the cost of cleaning up old industrial sites",
)


def _person(rng: random.Random) -> tuple[str, str]:
    return f"{rng.choice(_SURNAMES)} {rng.choice(_GIVEN)}", rng.choice(_ROLES)


def _paragraph(rng: random.Random, city: str, field: str, people: Sequence[tuple[str, str]]) -> str:
    name, role = rng.choice(people)
    surname = name.split()[0]
    goal, other_goal = rng.sample(_GOALS, 2)
    concern = rng.choice(_CONCERNS)
    place = rng.choice(_PLACES)
    year = rng.randint(2015, 2030)
    amount = rng.randint(2, 900)
    share = rng.randint(3, 60)
    kind = rng.randrange(6)
    if kind == 0:
        return (
            f"{city} will invest {amount} billion yuan in {field} over the next five years, "
            f"according to a plan released on {rng.choice(('Monday', 'Tuesday', 'Friday'))}. "
            f"The money will go to {place}, where the city hopes to {goal}. "
            f"Officials expect the sector to account for {share} percent of output by {year}."
        )
    if kind == 1:
        return (
            f'"We must {goal}, and we must do it faster than anyone expected," {name}, '
            f"{role}, {rng.choice(_VERBS)}. "
            f'"The companies in {place} are ready, and {field} is where {city} can lead."'
        )
    if kind == 2:
        return (
            f"{surname} said that the plan would also {other_goal}, but warned that "
            f"{concern} could delay the work in {place}. "
            f"He said the city had set aside {amount} million yuan to deal with it."
        )
    if kind == 3:
        return (
            f"Since {year - 10}, the number of firms working on {field} in {city} has grown "
            f"from {amount} to {amount * rng.randint(2, 9)}, and their revenue rose by {share} "
            f"percent last year alone. Most of them are clustered around {place}, close to "
            f"the laboratories that trained their founders."
        )
    if kind == 4:
        return (
            f'"{concern.capitalize()} is the question I hear most often in {place}," '
            f'{surname} said. "If we solve it by {year}, {field} will '
            f"{rng.choice(('thrive', 'grow', 'take off'))} in {city}. If we do not, the "
            f'{amount} companies there will look elsewhere."'
        )
    return (
        f"Residents of {place} have mixed feelings about the project. Some welcome the jobs; "
        f"others worry about traffic and noise. A survey by the {city} statistics bureau "
        f"found that {share} percent support the plan, while {100 - share} percent want "
        f"more consultation before construction begins in {year}."
    )


def article_text(index: int, paragraphs: int = 20, seed: int = 0) -> str:
    """The text of synthetic article ``index`` (deterministic for ``seed``)."""
    rng = random.Random(seed * 1_000_003 + index)
    city, field = rng.choice(_CITIES), rng.choice(_FIELDS)
    people = [_person(rng) for _ in range(3)]
    name, role = people[0]
    lead = (
        f"{city} unveiled a plan to become a national centre for {field} on "
        f"{rng.choice(('Monday', 'Wednesday', 'Thursday'))}, with {name}, {role}, "
        f"presenting it to the municipal people's congress."
    )
    body = [_paragraph(rng, city, field, people) for _ in range(paragraphs - 1)]
    return "\n\n".join([lead, *body]) + "\n"


def write_collection(
    folder: Path, articles: int = 2_000, paragraphs: int = 20, seed: int = 0
) -> list[Path]:
    """Write ``articles`` files of ``paragraphs`` paragraphs to ``folder``; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(articles):
        path = folder / f"article_{index:05d}.txt"
        path.write_text(article_text(index, paragraphs, seed), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--articles", type=int, default=2_000)
    parser.add_argument("--paragraphs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    paths = write_collection(args.folder, args.articles, args.paragraphs, args.seed)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
    print(f"wrote {len(paths)} articles ({words:,} words) to {args.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
