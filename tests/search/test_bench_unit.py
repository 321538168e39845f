from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from triplehelix.search.cli import bench_app
from triplehelix.search.service.evaluation import (
    Fts5Baseline,
    load_beir,
    ndcg_at,
    percentile,
    recall_at,
)


def test_ndcg_by_hand() -> None:
    relevant = {"a": 1, "b": 1}
    # hits at ranks 1 and 3; ideal is ranks 1 and 2
    expected = (1 + 1 / math.log2(4)) / (1 + 1 / math.log2(3))
    assert ndcg_at(["a", "x", "b"], relevant) == pytest.approx(expected)
    assert ndcg_at(["x"] * 10 + ["a"], relevant) == 0.0


def test_recall_and_percentile() -> None:
    assert recall_at(["a", "x"], {"a": 1, "b": 1, "c": 0}) == 0.5
    assert percentile([float(i) for i in range(1, 101)], 95) == 95.0
    assert percentile([3.0], 50) == 3.0


def write_beir(path: Path) -> Path:
    (path / "qrels").mkdir(parents=True)
    corpus = [
        {"_id": "d1", "title": "Aseptic filling", "text": "Fill-finish of monoclonal antibodies."},
        {"_id": "d2", "title": "Drone delivery", "text": "Unmanned flights carry blood samples."},
        {
            "_id": "d3",
            "title": "Satellite testing",
            "text": "Thermal vacuum chambers for cubesats.",
        },
    ]
    queries = [{"_id": "q1", "text": "drone transport of blood"}, {"_id": "q9", "text": "unjudged"}]
    (path / "corpus.jsonl").write_text("\n".join(json.dumps(r) for r in corpus))
    (path / "queries.jsonl").write_text("\n".join(json.dumps(r) for r in queries))
    (path / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td2\t1\n")
    return path


def test_load_keeps_judged_queries_only(tmp_path: Path) -> None:
    data = load_beir(write_beir(tmp_path / "tiny"))
    assert [d.id for d in data.corpus] == ["d1", "d2", "d3"]
    assert data.queries == {"q1": "drone transport of blood"}
    assert data.qrels == {"q1": {"d2": 1}}


def test_fts5_baseline_ranks_the_matching_document(tmp_path: Path) -> None:
    data = load_beir(write_beir(tmp_path / "tiny"))
    assert Fts5Baseline(data.corpus)("drone transport of blood")[0] == "d2"
    assert Fts5Baseline(data.corpus)('"quotes" AND (syntax)') == []


def test_cli_json_prints_one_object(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIPLEHELIX_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(bench_app, ["beir", str(write_beir(tmp_path / "tiny")), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) == {"dataset", "docs", "queries", "engine", "baseline"}
    assert out["docs"] == 3 and out["queries"] == 1
    for side in ("engine", "baseline"):
        assert set(out[side]) == {"ndcg_at_10", "recall_at_100", "qps", "p50_ms", "p95_ms"}
    assert out["engine"]["ndcg_at_10"] == 1.0
