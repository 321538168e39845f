"""Matching people can trust, measured on the bundled Leiden data beside the current engine.

Need sets (tests/matching/): the English sets of bench/leiden_needs.py, a Dutch set
(`leiden_needs_dutch.jsonl`), needs nothing in the data serves (`leiden_needs_unservable.jsonl`)
and needs with two sides (`leiden_needs_two_domain.jsonl`); a second set of needs nothing serves,
written before the floor and requirement rules of the last change and used only as a check
(`bench/leiden_needs_unservable_2.jsonl`). Two engines run in the same process
on the same index: "current" is matching as it was (no floor, no Dutch reading, every candidate
shown) and "trusted" is matching now (floor, Dutch reading, region preference, teams).
`--floors` prints the calibration sweep: needs answered vs unservable needs left empty.
Usage: python bench/match_trust.py [--floors] [--json]
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from leiden_needs import evaluate  # type: ignore[import-not-found]

from triplehelix.db import make_engine, session_factory, transaction
from triplehelix.ingest.service.loader import bundled_dataset_path, load_dataset
from triplehelix.matching.service import FLOOR, dutch, match_need
from triplehelix.matching.service.index import index_for
from triplehelix.migrations import upgrade_database

HERE = Path(__file__).resolve().parents[1] / "tests" / "matching"


def _read(name: str) -> list[dict[str, object]]:
    return [json.loads(x) for x in (HERE / name).read_text("utf-8").splitlines() if x.strip()]


def _key(item: object) -> str:
    kind = item.type
    return f"{'org' if kind == 'organisation' else 'facility'}:{item.id}"


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="match-trust-"))
    engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
    upgrade_database(engine)
    with transaction(engine) as session:
        load_dataset(session, bundled_dataset_path())
    session = session_factory(engine)()
    index = index_for(session, folder)
    english = _read("leiden_needs.jsonl") + _read("leiden_needs_paraphrased.jsonl")
    dutch_needs = _read("leiden_needs_dutch.jsonl")
    unservable = _read("leiden_needs_unservable.jsonl")
    check = (Path(__file__).parent / "leiden_needs_unservable_2.jsonl").read_text("utf-8")
    fresh = [json.loads(x) for x in check.splitlines() if x.strip()]
    two = _read("leiden_needs_two_domain.jsonl")

    def current(need: str) -> list[str]:  # as before: no Dutch reading, no floor
        real = dutch.read
        dutch.read = lambda text, tax: dutch.Reading(text, "en")  # type: ignore[assignment]
        try:
            return [_key(i) for i in match_need(index, need, 10, floor=0.0).items]
        finally:
            dutch.read = real  # type: ignore[assignment]

    def trusted(need: str, floor: float = FLOOR) -> list[str]:
        return [_key(i) for i in match_need(index, need, 10, floor=floor).items]

    for ranker in (current, trusted):
        ranker("warm up")
    out: dict[str, object] = {}
    for label, needs in (("english", english), ("dutch", dutch_needs)):
        out[label] = {
            "needs": len(needs),
            "current": evaluate(current, needs),
            "trusted": evaluate(trusted, needs),
        }
    servable = english + dutch_needs

    def answered(floor: float) -> dict[str, int]:
        return {
            "servable_answered": sum(bool(trusted(str(n["need"]), floor)) for n in servable),
            "servable": len(servable),
            "unservable_empty": sum(not trusted(str(n["need"]), floor) for n in unservable),
            "unservable": len(unservable),
            "check_set_empty": sum(not trusted(str(n["need"]), floor) for n in fresh),
            "check_set": len(fresh),
        }

    out["unservable"] = {"current": answered(0.0), "trusted": answered(FLOOR), "floor": FLOOR}
    if "--floors" in sys.argv:
        sweep = (0.28, 0.3, 0.32, 0.34, 0.36, 0.38, 0.4, 0.45)
        out["floors"] = {f"{f:.2f}": answered(f) for f in sweep}
    teams = []
    for need in two:
        result = match_need(index, str(need["need"]), 10)
        shown = {s.domain or "ai" for s in result.team if s.items}
        sides = set(need["sides"])  # type: ignore[call-overload]
        teams.append({"need": need["need"], "both": sides <= shown, "shown": sorted(shown)})
    out["two_domain"] = {
        "current": 0,  # the engine before this work had no teams
        "trusted": sum(t["both"] for t in teams),
        "needs": len(teams),
        "detail": teams,
    }
    print(json.dumps(out, indent=None if "--json" in sys.argv else 1))


if __name__ == "__main__":
    main()
