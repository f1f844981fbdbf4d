#!/usr/bin/env python3
"""PrepareData: validate the raw transactions, split train/test, standardize features.

Event:  {"bucket": str, "data_key": str, "run_id": str,
         "test_fraction": number (default 0.2), "split_salt": str (default "creditcard-split")}
Result: {"bucket", "train_key", "test_key", "features_key", "features": [str],
         "rows": {"total", "train", "test"}, "fraud_rate": {"train", "test"}}
Writes s3://BUCKET/training/RUN_ID/{train.csv,test.csv,features.json}.
"""

import sys

sys.dont_write_bytecode = True  # keep the user's project free of __pycache__

import creditcard as cc  # noqa: E402
import localbucket as lb  # noqa: E402


def handler(event):
    bucket = lb.require(event, "bucket", str)
    data_key = lb.require(event, "data_key", str)
    run_id = lb.require_segment(event, "run_id")
    test_fraction = lb.require(event, "test_fraction", (int, float), 0.2)
    salt = lb.require(event, "split_salt", str, "creditcard-split")
    if not 0 < test_fraction < 1:
        raise lb.FunctionError("InvalidEvent", "test_fraction must be between 0 and 1")

    source = lb.uri(bucket, data_key)
    ids, raw_rows, labels = cc.parse_transactions(lb.read_text(bucket, data_key), source)
    lb.log(f"read {len(ids)} transactions from {source}")

    split = {"train": ([], [], []), "test": ([], [], [])}
    for tid, raw, label in zip(ids, raw_rows, labels):
        side = split["test" if cc.in_test_split(tid, salt, test_fraction) else "train"]
        side[0].append(tid)
        side[1].append(cc.featurize(raw))
        side[2].append(label)
    for name, (_, _, side_labels) in split.items():
        # Both classes are needed on each side: to learn, and for ROC AUC to be defined.
        if sum(side_labels) == 0 or sum(side_labels) == len(side_labels):
            raise lb.FunctionError(
                "InsufficientData", f"the {name} split of {source} does not contain both classes")

    # Scaling statistics come from the training split only, so nothing leaks from the test split.
    means, stds = cc.fit_scaler(split["train"][1])
    prefix = f"training/{run_id}"
    keys = {name: f"{prefix}/{name}.csv" for name in split}
    for name, (side_ids, rows, side_labels) in split.items():
        scaled = cc.standardize(rows, means, stds)
        lb.write_text(bucket, keys[name], cc.write_matrix(side_ids, scaled, side_labels))
    features_key = f"{prefix}/features.json"
    lb.write_json(bucket, features_key, {
        "source": source, "label": cc.LABEL, "features": cc.FEATURE_NAMES,
        "means": means, "stds": stds, "split_salt": salt, "test_fraction": test_fraction,
    })

    return {
        "bucket": bucket,
        "train_key": keys["train"],
        "test_key": keys["test"],
        "features_key": features_key,
        "features": cc.FEATURE_NAMES,
        "rows": {"total": len(ids), "train": len(split["train"][0]),
                 "test": len(split["test"][0])},
        "fraud_rate": {name: round(sum(s[2]) / len(s[2]), 4) for name, s in split.items()},
    }


if __name__ == "__main__":
    lb.run(handler)
