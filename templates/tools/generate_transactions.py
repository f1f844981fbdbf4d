#!/usr/bin/env python3
"""Generate the synthetic credit-card transactions bundled with `autoretrain init`.

The output is deterministic (fixed seed, fixed float formatting), so re-running this script
reproduces templates/project/buckets/mlops-creditcard/data/transactions.csv byte for byte.

Each row is drawn label-first: `is_fraud` ~ Bernoulli(fraud_rate), then every feature from a
class-conditional distribution. The two classes overlap on purpose, so a linear classifier learns
a useful but imperfect model (test ROC AUC in the 0.9s), like a real fraud data set.

Usage: generate_transactions.py [--rows N] [--seed S] [--fraud-rate P] [--out PATH]
"""

import argparse
import csv
import math
import os
import random
import sys

COLUMNS = [
    "transaction_id",
    "amount",  # purchase amount, USD
    "hour",  # local hour of day, 0-23
    "merchant_risk",  # merchant risk score in [0, 1] from a (hypothetical) upstream system
    "distance_from_home_km",
    "txn_count_24h",  # card's transactions in the previous 24 hours
    "is_foreign",  # 1 if the merchant is in another country
    "is_fraud",  # label
]

DEFAULT_OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "project", "buckets", "mlops-creditcard", "data", "transactions.csv",
)

# Relative weight of each hour of the day: legitimate spending peaks in the day and evening,
# fraud is spread more evenly and is relatively frequent at night.
LEGIT_HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 4, 6, 8, 9, 10, 11,
                      12, 11, 10, 10, 11, 12, 12, 11, 9, 7, 4, 2]
FRAUD_HOUR_WEIGHTS = [6, 7, 7, 6, 5, 4, 3, 3, 4, 4, 4, 5, 5, 5, 4, 4, 4, 5, 5, 5, 5, 5, 5, 6]


def poisson(rng, lam):
    """Knuth's method; fine for the small means used here."""
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def draw_row(rng, fraud):
    if fraud:
        amount = rng.lognormvariate(4.25, 1.1)
        hour = rng.choices(range(24), weights=FRAUD_HOUR_WEIGHTS)[0]
        merchant_risk = rng.betavariate(3.5, 5.5)
        distance = rng.lognormvariate(2.8, 1.5)
        txn_count = 1 + poisson(rng, 3.6)
        foreign = rng.random() < 0.18
    else:
        amount = rng.lognormvariate(3.6, 0.9)
        hour = rng.choices(range(24), weights=LEGIT_HOUR_WEIGHTS)[0]
        merchant_risk = rng.betavariate(2, 8)
        distance = rng.lognormvariate(1.6, 1.1)
        txn_count = 1 + poisson(rng, 2.0)
        foreign = rng.random() < 0.04
    return [
        f"{max(amount, 0.5):.2f}",
        str(hour),
        f"{merchant_risk:.3f}",
        f"{distance:.1f}",
        str(txn_count),
        "1" if foreign else "0",
        "1" if fraud else "0",
    ]


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument("--fraud-rate", type=float, default=0.06)
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    out = os.path.normpath(args.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    frauds = 0
    with open(out, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        for i in range(args.rows):
            fraud = rng.random() < args.fraud_rate
            frauds += fraud
            writer.writerow([f"tx{i + 1:06d}"] + draw_row(rng, fraud))
    print(f"wrote {args.rows} rows ({frauds} fraud) to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
