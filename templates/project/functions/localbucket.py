"""Shared runtime for the example command functions: the Lambda-like contract and bucket I/O.

Contract (how autoretrain runs a command function):
- the current working directory is the project directory;
- the event JSON arrives on stdin, the result JSON goes to stdout, logs go to stderr;
- on failure the function prints {"errorType": ..., "errorMessage": ...} to stdout and exits
  non-zero, which the runner reports like a Lambda unhandled error (the errorType becomes the
  state's Error, so Retry/Catch can match it);
- AUTORETRAIN_BUCKETS_DIR is the local bucket directory: s3://BUCKET/KEY is the file
  $AUTORETRAIN_BUCKETS_DIR/BUCKET/KEY.

Only the Python standard library is used, so the functions run wherever python3 does.
"""

import json
import os
import re
import sys
import traceback

# S3 bucket naming rules, simplified: 3-63 lowercase letters, digits, dots and hyphens.
_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
# Run ids and model versions become one key segment; Step Functions execution names fit this.
_SEGMENT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
_MISSING = object()


class FunctionError(Exception):
    """A failure reported to the state machine as {"errorType", "errorMessage"}."""

    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type
        self.message = message


def log(message):
    print(message, file=sys.stderr, flush=True)


def run(handler):
    """Read the event from stdin, call handler(event), write its result to stdout, exit.

    Exits 0 with the result on success, 1 with an error object on any failure. Unexpected
    exceptions are reported with their class name as errorType, as the Lambda Python runtime does.
    """
    try:
        try:
            event = json.loads(sys.stdin.read() or "{}")
        except json.JSONDecodeError as e:
            raise FunctionError("InvalidEvent", f"event is not valid JSON: {e}") from None
        if not isinstance(event, dict):
            raise FunctionError("InvalidEvent", "event must be a JSON object")
        result = handler(event)
    except FunctionError as e:
        _fail(e.error_type, e.message)
    except Exception as e:  # noqa: BLE001 - everything must become an error object
        traceback.print_exc(file=sys.stderr)
        _fail(type(e).__name__, str(e))
    sys.stdout.write(json.dumps(result, separators=(",", ":")) + "\n")
    sys.exit(0)


def _fail(error_type, message):
    log(f"{error_type}: {message}")
    sys.stdout.write(json.dumps({"errorType": error_type, "errorMessage": message}) + "\n")
    sys.exit(1)


def require(event, key, kind, default=_MISSING):
    """Return event[key] checked against `kind` (a type or tuple of types).

    Raises FunctionError("InvalidEvent") when the field is missing (and has no default) or has
    the wrong type. bool is rejected where a number is expected, since JSON true is not a number.
    """
    if key not in event:
        if default is _MISSING:
            raise FunctionError("InvalidEvent", f"event field '{key}' is required")
        return default
    value = event[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
        names = " or ".join(k.__name__ for k in kinds)
        raise FunctionError("InvalidEvent", f"event field '{key}' must be {names}")
    return value


def require_segment(event, key):
    """A string field that is used as one path segment of an object key (run id, version)."""
    value = require(event, key, str)
    if not _SEGMENT_RE.match(value):
        raise FunctionError(
            "InvalidEvent",
            f"event field '{key}' must be 1-80 characters of letters, digits, '.', '_' or '-'"
            f" starting with a letter or digit, got {value!r}",
        )
    return value


def object_path(bucket, key):
    """Local file path of s3://bucket/key. Rejects names that could escape the bucket dir."""
    root = os.environ.get("AUTORETRAIN_BUCKETS_DIR")
    if not root or not os.path.isabs(root):
        raise FunctionError(
            "ConfigurationError", "AUTORETRAIN_BUCKETS_DIR must be set to an absolute path")
    if not isinstance(bucket, str) or not _BUCKET_RE.match(bucket):
        raise FunctionError("InvalidBucketName", f"invalid bucket name {bucket!r}")
    parts = key.split("/") if isinstance(key, str) else [""]
    if any(p in ("", ".", "..") for p in parts):
        raise FunctionError("InvalidObjectKey", f"invalid object key {key!r}")
    return os.path.join(root, bucket, *parts)


def uri(bucket, key):
    return f"s3://{bucket}/{key}"


def read_text(bucket, key):
    """Contents of an object; raises NoSuchBucket / NoSuchKey like S3 when it is absent."""
    path = object_path(bucket, key)
    if not os.path.isdir(os.path.join(os.environ["AUTORETRAIN_BUCKETS_DIR"], bucket)):
        raise FunctionError("NoSuchBucket", f"bucket {bucket!r} does not exist")
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise FunctionError("NoSuchKey", f"{uri(bucket, key)} does not exist") from None


def read_json(bucket, key):
    text = read_text(bucket, key)
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise FunctionError("InvalidObject", f"{uri(bucket, key)} is not valid JSON: {e}") from None


def write_text(bucket, key, text):
    """Create or replace an object atomically (readers never see a half-written file)."""
    path = object_path(bucket, key)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.replace(tmp, path)
    log(f"wrote {uri(bucket, key)} ({len(text)} bytes)")


def write_json(bucket, key, value):
    write_text(bucket, key, json.dumps(value, indent=2, sort_keys=True) + "\n")
