#!/usr/bin/env python3
"""Dateline's own evaluator: nDCG@k and Recall@k of a TREC run against BEIR/TREC qrels.

Conventions follow `trec_eval -c -m ndcg_cut.10 -m recall.100` (what Anserini publishes for BEIR):
  * qrels: BEIR TSV with header "query-id corpus-id score", or TREC "qid iter docid rel"; gains are the graded
    levels, levels <= 0 are not relevant;
  * run: "qid Q0 docid rank score tag"; the rank column is ignored, documents are ordered by score descending,
    ties by docid in decreasing string order; a repeated (qid, docid) keeps its first line;
  * DCG@k = sum gain_i / log2(i + 1), ideal DCG from the qrels' gains sorted descending;
  * Recall@k = relevant documents in the top k / relevant documents of the query;
  * averages over every qrels query with at least one relevant document; a query missing from the run scores 0.

Usage: trec_eval.py QRELS RUN [--k 10] [--recall-k 100] [--json] | trec_eval.py --selftest
"""
import argparse
import json
import math
import sys
from collections import defaultdict


def read_qrels(lines):
    qrels = defaultdict(dict)
    for n, line in enumerate(lines):
        parts = line.split()
        if not parts:
            continue
        if n == 0 and parts[0] in ("query-id", "query_id", "qid"):
            continue
        if len(parts) == 3:
            qid, docid, rel = parts
        elif len(parts) == 4:
            qid, _, docid, rel = parts
        else:
            raise ValueError(f"qrels line {n + 1}: expected 3 or 4 columns, got {len(parts)}")
        qrels[qid][docid] = int(float(rel))
    return qrels


def read_run(lines):
    run = defaultdict(dict)
    for n, line in enumerate(lines):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 6:
            raise ValueError(f"run line {n + 1}: expected 6 columns, got {len(parts)}")
        qid, _, docid, _, score, _ = parts
        run[qid].setdefault(docid, float(score))
    return run


def ranked(docs):
    # Score descending; ties by docid in decreasing strcmp order (trec_eval).
    return [d for d, _ in sorted(docs.items(), key=lambda kv: (-kv[1], tuple(-b for b in kv[0].encode())))]


def ndcg(ranking, judged, k):
    dcg = sum(max(judged.get(d, 0), 0) / math.log2(i + 2) for i, d in enumerate(ranking[:k]))
    ideal = sorted((g for g in judged.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def recall(ranking, judged, k):
    relevant = {d for d, g in judged.items() if g > 0}
    return len(relevant.intersection(ranking[:k])) / len(relevant) if relevant else 0.0


def evaluate(qrels, run, k=10, recall_k=100):
    per_query = {}
    for qid, judged in qrels.items():
        if not any(g > 0 for g in judged.values()):
            continue
        ranking = ranked(run.get(qid, {}))
        per_query[qid] = {"ndcg": ndcg(ranking, judged, k), "recall": recall(ranking, judged, recall_k)}
    n = len(per_query)
    return {
        f"ndcg@{k}": sum(q["ndcg"] for q in per_query.values()) / n if n else 0.0,
        f"recall@{recall_k}": sum(q["recall"] for q in per_query.values()) / n if n else 0.0,
        "queries": n,
        "per_query": per_query,
    }


def selftest():
    """Checks the evaluator against values computed by hand."""
    qrels = read_qrels(["query-id\tcorpus-id\tscore", "q1\tA\t1", "q1\tB\t2", "q2\tC\t1", "q3\tD\t0"])
    run = read_run([
        "q1 Q0 B 1 3.0 t", "q1 Q0 X 2 2.0 t", "q1 Q0 A 3 1.0 t",  # B(2) at 1, A(1) at 3
        "q2 Q0 Y 1 5.0 t", "q2 Q0 Z 2 5.0 t",                     # C missing
    ])
    r = evaluate(qrels, run, k=10, recall_k=2)
    # q1: DCG = 2/log2(2) + 1/log2(4) = 2.5; IDCG = 2 + 1/log2(3) = 2.630930; nDCG = 0.950226
    # q2: 0; q3 has no relevant document: not counted. Mean nDCG = 0.475113.
    # Recall@2: q1 has B in the top 2 of {A, B} = 0.5; q2 = 0; mean 0.25.
    checks = [
        (r["per_query"]["q1"]["ndcg"], 2.5 / (2 + 1 / math.log2(3))),
        (r["ndcg@10"], 0.5 * 2.5 / (2 + 1 / math.log2(3))),
        (r["recall@2"], 0.25),
        (r["queries"], 2),
    ]
    # Ties: equal scores order by docid descending: Z before Y.
    assert ranked({"Y": 5.0, "Z": 5.0}) == ["Z", "Y"], "tie order"
    for got, want in checks:
        assert abs(got - want) < 1e-9, (got, want)
    print("trec_eval selftest: 5 passed, 0 failed")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("qrels", nargs="?")
    ap.add_argument("run", nargs="?")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--recall-k", type=int, default=100)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--selftest", action="store_true")
    a = ap.parse_args()
    if a.selftest:
        selftest()
        return
    if not a.qrels or not a.run:
        ap.error("QRELS and RUN are required")
    with open(a.qrels, encoding="utf-8") as q, open(a.run, encoding="utf-8") as r:
        res = evaluate(read_qrels(q), read_run(r), a.k, a.recall_k)
    res.pop("per_query")
    print(json.dumps(res) if a.json else "  ".join(f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}"
                                                   for k, v in res.items()))


if __name__ == "__main__":
    sys.exit(main())
