"""Search quality of the directory box: the old LIKE search beside the full-text one, same data.

Each labelled query is typed the way a person would (punctuation, plurals, hyphens) and names the
organisations that a correct answer contains. The labels were written from the bundled data's own
wording (the organisation's name, summary or services state the thing asked for) and are frozen
here, independent of either engine. For each query: recall over all results, recall in the first
10 shown (the old box kept sort=name, the new one orders by relevance), and the number of results.

    python bench/search_quality.py [--db-url URL]   (default: a fresh SQLite file)
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.db import make_engine, session_factory, transaction
from triplehelix.directory import service
from triplehelix.directory.models import Organisation
from triplehelix.ingest.service.loader import bundled_dataset_path, load_dataset
from triplehelix.migrations import upgrade_database

LABELLED: dict[str, set[str]] = {
    "GMP, viral vector": {"batavia-biosciences", "ccrm", "halix"},
    '"viral vectors"': {"batavia-biosciences", "ccrm", "halix", "janssen-vaccines"},
    "antibodies": {"centocor", "galapagos", "janssen-vaccines", "leyden-labs"},
    "drone pilot training": {
        "drone-center-valkenburg", "drone-flight-academy", "dutch-drone-academy",
        "mbo-college-airport", "nlr",
    },
    "cryo-EM": {"ibl", "lu-faculty-of-science"},
    "CAR-T cells": {"bms", "cellpoint", "galapagos"},
    "exon-skipping": {"biomarin", "prosensa"},
    "satellite testing": {"esa-estec", "european-test-services"},
    "RNA editing": {"proqr", "vico-therapeutics"},
    "organ-on-chip": {"mimetas"},
    "BVLOS corridor": {
        "airhub", "dunea", "mavlab", "min-defence", "min-iw", "movingdot", "staatsbosbeheer",
        "to70", "unmanned-valley",
    },
    "hereditary angioedema": {"pharming", "pharvaris"},
    "DNA sequencing": {"baseclear"},
    "cell therapy manufacturing": {"bms", "ccrm", "cellares"},
    "vaccines": {
        "20med-therapeutics", "astrazeneca", "batavia-biosciences", "dcprime", "halix",
        "immunetune", "isa-pharmaceuticals", "janssen-vaccines", "johnson-johnson", "ku-leuven",
        "mymetics-bv", "synvolux",
    },
    "toxicity tests": {"mimetas", "toxys"},
    "stem cells": {
        "ebmt", "led3", "lrmp", "meatable", "mida-biotech", "ncardia", "necstgen", "regmed-xb",
        "wmda",
    },
    "phase I trials": {"ccrm", "cellpoint", "chdr", "dcprime"},
    "drug delivery": {"dr-reddys", "octoplus"},
}  # fmt: skip
FIRST_PAGE = 10


def like_search(session: Session, q: str) -> list[str]:
    """The directory's search before full text: every lower-cased word a substring, by name."""
    query = select(Organisation.id).order_by(Organisation.name)
    for word in q.lower().split():
        escaped = word.replace("/", "//").replace("%", "/%").replace("_", "/_")
        query = query.where(Organisation.search_text.like(f"%{escaped}%", escape="/"))
    return list(session.scalars(query))


def fulltext_search(session: Session, q: str) -> list[str]:
    return [o.id for o in service.list_organisations(session, q, limit=500).items]


def recall(found: list[str], expected: set[str]) -> float:
    return len(expected & set(found)) / len(expected)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db_url or f"sqlite:///{Path(tmp) / 'quality.db'}"
        engine = make_engine(url)
        upgrade_database(engine)
        with transaction(engine) as session:
            if not session.scalar(select(Organisation.id).limit(1)):
                load_dataset(session, bundled_dataset_path())
        print(f"database: {engine.dialect.name}\n")
        print("| query | expected | LIKE recall | LIKE recall@10 | LIKE hits |", end="")
        print(" FTS recall | FTS recall@10 | FTS hits |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        totals = [0.0] * 4
        with session_factory(engine)() as session:
            for q, expected in LABELLED.items():
                old, new = like_search(session, q), fulltext_search(session, q)
                figures = [
                    recall(old, expected), recall(old[:FIRST_PAGE], expected),
                    recall(new, expected), recall(new[:FIRST_PAGE], expected),
                ]  # fmt: skip
                totals = [t + f for t, f in zip(totals, figures, strict=True)]
                print(
                    f"| `{q}` | {len(expected)} | {figures[0]:.2f} | {figures[1]:.2f} "
                    f"| {len(old)} | {figures[2]:.2f} | {figures[3]:.2f} | {len(new)} |"
                )
        n = len(LABELLED)
        mean = [f"{t / n:.2f}" for t in totals]
        print(
            f"| **mean over {n} queries** | | {mean[0]} | {mean[1]} | | {mean[2]} | {mean[3]} | |"
        )
        engine.dispose()


if __name__ == "__main__":
    main()
