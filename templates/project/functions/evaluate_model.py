#!/usr/bin/env python3
"""EvaluateModel: score the held-out test split and compute quality metrics.

Event:  {"bucket": str, "test_key": str, "model_key": str, "run_id": str,
         "min_auc": number (optional; only quoted in "summary", the state machine decides)}
Result: {"bucket", "metrics_key", "auc", "precision", "recall", "f1", "accuracy", "threshold",
         "test_rows", "positives", "confusion": {"tp", "fp", "tn", "fn"}, "summary": str}
Writes s3://BUCKET/training/RUN_ID/metrics.json (the same metrics).
"""

import sys

sys.dont_write_bytecode = True  # keep the user's project free of __pycache__

import creditcard as cc  # noqa: E402
import localbucket as lb  # noqa: E402


def roc_auc(scores, labels):
    """ROC AUC as the Mann-Whitney U statistic: the probability that a random positive scores
    above a random negative. Tied scores share their average rank (count as half a win)."""
    order = sorted(range(len(scores)), key=scores.__getitem__)
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1  # 1-based average rank of the tie group
        i = j + 1
    positives = sum(labels)
    negatives = len(labels) - positives
    rank_sum = sum(r for r, y in zip(ranks, labels) if y)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def ratio(num, den):
    return num / den if den else 0.0


def handler(event):
    bucket = lb.require(event, "bucket", str)
    test_key = lb.require(event, "test_key", str)
    model_key = lb.require(event, "model_key", str)
    run_id = lb.require_segment(event, "run_id")
    min_auc = lb.require(event, "min_auc", (int, float), None)

    rows, labels = cc.read_matrix(lb.read_text(bucket, test_key), lb.uri(bucket, test_key))
    model = lb.read_json(bucket, model_key)
    positives = sum(labels)
    if positives in (0, len(labels)):
        raise lb.FunctionError("InsufficientData", "ROC AUC needs both classes in the test split")

    scores = cc.predict_proba(model, rows)
    threshold = model["threshold"]
    predicted = [s >= threshold for s in scores]
    tp = sum(1 for p, y in zip(predicted, labels) if p and y)
    fp = sum(1 for p, y in zip(predicted, labels) if p and not y)
    fn = positives - tp
    tn = len(labels) - tp - fp - fn
    precision, recall = ratio(tp, tp + fp), ratio(tp, positives)
    metrics = {
        "auc": round(roc_auc(scores, labels), 6),
        "precision": round(precision, 6),
        "recall": round(recall, 6),
        "f1": round(ratio(2 * precision * recall, precision + recall), 6),
        "accuracy": round((tp + tn) / len(labels), 6),
        "threshold": threshold,
        "test_rows": len(labels),
        "positives": positives,
        "confusion": {"tp": tp, "fp": fp, "tn": tn, "fn": fn},
    }
    summary = (f"ROC AUC {metrics['auc']:.4f}"
               + (f" (minimum {min_auc})" if min_auc is not None else "")
               + f", precision {metrics['precision']:.3f}, recall {metrics['recall']:.3f},"
               f" F1 {metrics['f1']:.3f} on {len(labels)} test rows ({positives} fraud)")
    lb.log(summary)

    metrics_key = f"training/{run_id}/metrics.json"
    lb.write_json(bucket, metrics_key, {**metrics, "run_id": run_id,
                                        "model": lb.uri(bucket, model_key),
                                        "test_data": lb.uri(bucket, test_key)})
    return {"bucket": bucket, "metrics_key": metrics_key, **metrics, "summary": summary}


if __name__ == "__main__":
    lb.run(handler)
