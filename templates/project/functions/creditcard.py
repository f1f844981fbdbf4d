"""The example model's data schema, feature engineering, split and scoring.

Shared by the pipeline steps so that training, evaluation and any later scoring derive features
the same way. Pure Python: rows are lists of floats, a data set is a list of rows.
"""

import csv
import hashlib
import io
import math

from localbucket import FunctionError

ID_COLUMN = "transaction_id"
LABEL = "is_fraud"
RAW_COLUMNS = ["amount", "hour", "merchant_risk", "distance_from_home_km", "txn_count_24h",
               "is_foreign"]

# Model features, each computed from one raw row (a dict of floats). Amount and distance are
# heavy-tailed, so they enter as log1p; hour is not linear in risk, so it becomes a night flag.
FEATURES = [
    ("log_amount", lambda r: math.log1p(r["amount"])),
    ("night", lambda r: 1.0 if r["hour"] < 6 else 0.0),
    ("merchant_risk", lambda r: r["merchant_risk"]),
    ("log_distance_km", lambda r: math.log1p(r["distance_from_home_km"])),
    ("txn_count_24h", lambda r: r["txn_count_24h"]),
    ("is_foreign", lambda r: r["is_foreign"]),
]
FEATURE_NAMES = [name for name, _ in FEATURES]


def parse_transactions(text, source):
    """Parse and validate the raw CSV. Returns (ids, raw rows as dicts of floats, labels).

    Raises FunctionError("InvalidDataset") naming the first problem: a missing column, a value
    that is not a finite non-negative number, a label other than 0/1.
    """
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in [ID_COLUMN, *RAW_COLUMNS, LABEL] if c not in (reader.fieldnames or [])]
    if missing:
        raise FunctionError("InvalidDataset", f"{source} lacks column(s): {', '.join(missing)}")
    ids, rows, labels = [], [], []
    for line, record in enumerate(reader, start=2):
        try:
            row = {c: float(record[c]) for c in RAW_COLUMNS}
        except (TypeError, ValueError):
            raise FunctionError(
                "InvalidDataset", f"{source} line {line}: non-numeric value") from None
        if any(not math.isfinite(v) or v < 0 for v in row.values()):
            raise FunctionError("InvalidDataset", f"{source} line {line}: value out of range")
        if record[LABEL] not in ("0", "1"):
            raise FunctionError("InvalidDataset", f"{source} line {line}: {LABEL} must be 0 or 1")
        ids.append(record[ID_COLUMN])
        rows.append(row)
        labels.append(int(record[LABEL]))
    return ids, rows, labels


def featurize(raw_row):
    return [fn(raw_row) for _, fn in FEATURES]


def in_test_split(transaction_id, salt, test_fraction):
    """Deterministic split by hashing the id: a row stays on its side when data is appended."""
    digest = hashlib.sha256(f"{salt}:{transaction_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64 < test_fraction


def fit_scaler(rows):
    """Per-feature mean and (population) standard deviation; a constant feature gets std 1."""
    n = len(rows)
    means = [sum(col) / n for col in zip(*rows)]
    stds = []
    for col, mean in zip(zip(*rows), means):
        std = math.sqrt(sum((v - mean) ** 2 for v in col) / n)
        stds.append(std if std > 1e-12 else 1.0)
    return means, stds


def standardize(rows, means, stds):
    return [[(v - m) / s for v, m, s in zip(row, means, stds)] for row in rows]


def write_matrix(ids, rows, labels):
    """CSV text of a prepared split: id, standardized features, label."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([ID_COLUMN, *FEATURE_NAMES, LABEL])
    for tid, row, label in zip(ids, rows, labels):
        writer.writerow([tid, *(f"{v:.6f}" for v in row), label])
    return out.getvalue()


def read_matrix(text, source):
    """Inverse of write_matrix. Returns (rows, labels)."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header != [ID_COLUMN, *FEATURE_NAMES, LABEL]:
        raise FunctionError("InvalidDataset", f"{source} is not a prepared split of this model")
    rows, labels = [], []
    for record in reader:
        rows.append([float(v) for v in record[1:-1]])
        labels.append(int(record[-1]))
    return rows, labels


def sigmoid(z):
    # Split on the sign so exp never overflows.
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def predict_proba(model, rows):
    """Fraud probability of each standardized row under a model JSON from train_model."""
    weights, bias = model["weights"], model["bias"]
    return [sigmoid(bias + sum(w * x for w, x in zip(weights, row))) for row in rows]
