#!/usr/bin/env python3
"""StoreModel: publish an accepted model as a version and point models/latest.json at it.

Event:  {"bucket": str, "model_key": str, "metrics_key": str, "version": str,
         "request": any JSON (optional; the pipeline's input, recorded for traceability)}
Result: {"bucket", "version", "model_uri", "metrics_uri", "latest_uri", "auc", "stored_at"}
Writes s3://BUCKET/models/VERSION/{model.json,metrics.json} and s3://BUCKET/models/latest.json.
"""

import datetime
import sys

sys.dont_write_bytecode = True  # keep the user's project free of __pycache__

import localbucket as lb  # noqa: E402


def handler(event):
    bucket = lb.require(event, "bucket", str)
    model_key = lb.require(event, "model_key", str)
    metrics_key = lb.require(event, "metrics_key", str)
    version = lb.require_segment(event, "version")
    request = event.get("request", {})

    # Read both before writing anything, so a missing input leaves no half-published version.
    model = lb.read_json(bucket, model_key)
    metrics = lb.read_json(bucket, metrics_key)
    stored_at = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    prefix = f"models/{version}"
    lb.write_json(bucket, f"{prefix}/model.json", model)
    lb.write_json(bucket, f"{prefix}/metrics.json", metrics)
    # latest.json is written last: consumers that follow it only ever see a complete version.
    lb.write_json(bucket, "models/latest.json", {
        "version": version,
        "model": lb.uri(bucket, f"{prefix}/model.json"),
        "metrics": lb.uri(bucket, f"{prefix}/metrics.json"),
        "auc": metrics.get("auc"),
        "stored_at": stored_at,
        "request": request,
    })
    return {
        "bucket": bucket,
        "version": version,
        "model_uri": lb.uri(bucket, f"{prefix}/model.json"),
        "metrics_uri": lb.uri(bucket, f"{prefix}/metrics.json"),
        "latest_uri": lb.uri(bucket, "models/latest.json"),
        "auc": metrics.get("auc"),
        "stored_at": stored_at,
    }


if __name__ == "__main__":
    lb.run(handler)
