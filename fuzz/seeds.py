#!/usr/bin/env python3
"""Writes the seed corpora fuzz/corpus/<target>/ from the project's own material: the seed's
definition, the starter project, the conformance cases, the JSONata reference suite, the
scheduler tests and the docs' examples (docs/fuzzing.md). Run from anywhere; it replaces the
corpus folders. Deterministic: the same sources give the same files."""
import glob
import hashlib
import hmac
import json
import os
import re
import shutil
from urllib.parse import quote

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
CORPUS = os.path.join(ROOT, "fuzz", "corpus")
MAX_SEED_BYTES = 8192


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def conformance_cases():
    for path in sorted(glob.glob(os.path.join(ROOT, "tests/conformance/*/*.json"))):
        yield os.path.basename(os.path.dirname(path)), json.loads(read(path))


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def strings_in(value, key=None):
    """(key, string) for every string value in a JSON value, with the key it is under."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from strings_in(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from strings_in(v, key)
    elif isinstance(value, str):
        yield key, value


def write(target, seeds, limit=60):
    folder = os.path.join(CORPUS, target)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    unique = []
    for seed in seeds:
        data = seed.encode("utf-8") if isinstance(seed, str) else seed
        if data not in unique and len(data) <= MAX_SEED_BYTES:
            unique.append(data)
    for i, data in enumerate(unique[:limit]):
        with open(os.path.join(folder, "seed-%03d" % i), "wb") as f:
            f.write(data)
    print("%-15s %3d seeds" % (target, min(len(unique), limit)))


def spread(items, count):
    """`count` items taken evenly across `items`, so that every area is represented."""
    if len(items) <= count:
        return items
    return [items[i * len(items) // count] for i in range(count)]


def json_seeds():
    files = [os.path.join(SHARED, "seed/retraining_trigger.asl.json"),
             os.path.join(SHARED, "seed/lambda_inline_policy.json"),
             os.path.join(ROOT, "templates/project/autoretrain.json")]
    seeds = [read(f) for f in files]
    seeds += [compact(case["input"]) for _, case in conformance_cases() if "input" in case][:20]
    seeds += ['"\\u00e9\\ud83d\\ude00\\n\\t\\"\\\\"', "[1,-0,1.5e300,-2.5E-300,12345678901234567890]",
              "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", '{"a":{"b":null}}',
              "  true ", "9007199254740993", '{"":[],"x":{}}', "[0.1,100,1e21,1e-7,123456789e-30]"]
    write("json", seeds)


def definition_seeds():
    seeds = [read(os.path.join(SHARED, "seed/retraining_trigger.asl.json"))]
    seeds += [read(f) for f in sorted(glob.glob(os.path.join(ROOT, "templates/project/state_machines/*.json")))]
    seeds += spread([compact(case["definition"]) for _, case in conformance_cases()
                     if "definition" in case], 56)
    write("definition", seeds)


def path_seeds(predicate):
    seeds = []
    for _, case in conformance_cases():
        document = compact(case.get("input", {}))
        for key, text in strings_in(case.get("definition", {})):
            if "\n" not in text and predicate(key or "", text):
                seeds.append(text + "\n" + document)
    return spread(seeds, 60)


def is_path_field(key, text):
    return text.startswith("$") and (key.endswith(".$") or key.endswith("Path") or key == "Variable")


def jsonata_seeds():
    seeds = []
    for path in sorted(glob.glob(os.path.join(SHARED, "conformance/jsonata/groups/*/*.json"))):
        case = json.loads(read(path))
        case = case[0] if isinstance(case, list) else case
        if "expr" not in case:
            continue
        data = case.get("data")
        if data is None and case.get("dataset"):
            dataset = os.path.join(SHARED, "conformance/jsonata/datasets", case["dataset"] + ".json")
            data = json.loads(read(dataset)) if os.path.exists(dataset) else None
        document = compact(data) if data is not None else ""
        seeds.append(case["expr"].replace("\n", " ") + "\n" + document)
    for _, case in conformance_cases():
        for _, text in strings_in(case.get("definition", {})):
            if text.startswith("{%") and text.endswith("%}"):
                seeds.append(text[2:-2].strip().replace("\n", " ") + "\n" + compact(case.get("input", {})))
    write("jsonata", spread(seeds, 60))


def schedule_seeds():
    tests = "".join(read(f) for f in sorted(glob.glob(os.path.join(ROOT, "src/scheduler/*_test.cc"))))
    expressions = sorted(set(re.findall(r'"((?:cron|rate|at)\([^"]*\))"', tests)))
    rules = ["", "EST5EDT,M3.2.0,M11.1.0", "CET-1CEST,M3.5.0,M10.5.0/3", "AEST-10AEDT,M10.1.0,M4.1.0/3",
             "<+0530>-5:30", "IST-5:30", "NZST-12NZDT,M9.5.0,M4.1.0/3", "XXX3YYY,J60/-1,300/25"]
    write("schedule", [e + "\n" + rules[i % len(rules)] for i, e in enumerate(spread(expressions, 60))])


def decision_seeds():
    seeds = [read(os.path.join(ROOT, "templates/project/buckets/mlops-creditcard/monitoring_outputs/"
                                     "retraining_decision/retraining_decision.csv")),
             "retraining_required\nNO\n", "\ufeffretraining_required\r\n yes \r\n", "retraining_required\n",
             "", "retraining_required\n\"Y\"\"ES\",x\n", "retraining_required\nMAYBE\n",
             "retraining_required,severity,drift_score,drifted_features,monitored_at\n"
             "YES,HIGH,0.42,amount;v14,2026-11-30T02:00:00Z\n",
             "retraining_required,monitored_at,severity\nno,2026-11-30T07:30:00+05:30,critical\n",
             "Retraining_Required,DRIFT_SCORE,drifted_features\nYES,1e-3,a|b|c\n",
             "a,b\n\"unterminated\n", "retraining_required\rYES\r",
             '{"retraining_required": "YES", "severity": "critical", "drift_score": 3.1,\n'
             ' "drifted_features": ["amount"], "monitored_at": "2026-11-30T02:00:00Z", "model": "creditcard"}',
             '{"retraining_required": true}', '{"retraining_required": false, "severity": null}',
             ' {"retraining_required": " no ", "drift_score": "x"}', '{"severity": "LOW"}', "[1]",
             "retraining_required\nYES\xff\n"]
    write("decision", seeds)


def project_config_seeds():
    template = json.loads(read(os.path.join(ROOT, "templates/project/autoretrain.json")))
    seeds = [compact(template)]
    for path in sorted(glob.glob(os.path.join(ROOT, "docs/*.md"))):
        for block in re.findall(r"```json\n(.*?)```", read(path), re.S):
            try:
                value = json.loads(block)
            except ValueError:
                continue
            if isinstance(value, dict):
                merged = dict(template)
                merged.update(value)  # a docs example is usually one section of the file
                seeds.append(compact(value))
                seeds.append(compact(merged))
    write("project_config", spread(seeds, 60))


def json_call_seeds():
    arn = "arn:aws:states:us-east-1:123456789012:stateMachine:m"
    definition = compact(json.loads(read(os.path.join(SHARED, "seed/retraining_trigger.asl.json"))))
    calls = [
        ("CreateStateMachine", {"name": "m", "definition": definition, "type": "STANDARD",
                                "roleArn": "arn:aws:iam::123456789012:role/R", "publish": True,
                                "tags": [{"key": "team", "value": "ml"}]}),
        ("CreateStateMachine", {"name": "", "definition": 5, "type": "BATCH"}),
        ("ListStateMachines", {"maxResults": 10}), ("ListStateMachines", {}),
        ("ListExecutions", {"stateMachineArn": arn, "statusFilter": "RUNNING", "maxResults": 1001}),
        ("StartExecution", {"stateMachineArn": arn, "name": "e\u00e9", "input": "{}"}),
        ("DescribeExecution", {"executionArn": arn.replace("stateMachine", "execution") + ":e"}),
        ("SendTaskSuccess", {"taskToken": "t", "output": "{\"a\":1}"}),
        ("ValidateStateMachineDefinition", {"definition": definition}),
        ("TestState", {"definition": "{\"Type\":\"Pass\",\"End\":true}", "input": "{}"}),
        ("GetActivityTask", {"activityArn": "arn:aws:states:us-east-1:123456789012:activity:a"}),
    ]
    seeds = ["AWSStepFunctions.%s\n%s" % (op, compact(body)) for op, body in calls]
    seeds += ["AWSStepFunctions.ListStateMachines\n", "AWSStepFunctions.ListStateMachines\n \r\n",
              "\n{}", "AWSStepFunctions\n{}", "OtherService.ListStateMachines\n{}",
              "AWSStepFunctions.ListStateMachines\n[1,2]", "AWSStepFunctions.ListStateMachines\n{\"maxResults\":",
              "AWSStepFunctions.CreateStateMachine\n{\"name\":null,\"publish\":\"yes\",\"maxResults\":1.5}"]
    write("json_call", seeds)


def sign(method, path, query, headers, body, key_id, secret, token, amz_date, presigned):
    """A request signed as AWS SigV4 signs it (region us-east-1, service states)."""
    date = amz_date[:8]
    scope = "%s/us-east-1/states/aws4_request" % date
    headers = [("Host", "127.0.0.1:8083")] + headers
    if presigned:
        params = [("X-Amz-Algorithm", "AWS4-HMAC-SHA256"), ("X-Amz-Credential", key_id + "/" + scope),
                  ("X-Amz-Date", amz_date), ("X-Amz-Expires", "300"), ("X-Amz-SignedHeaders", "host")]
        if token:
            params.append(("X-Amz-Security-Token", token))
        query = "&".join(p for p in [query] + ["%s=%s" % (k, quote(v, safe="-_.~")) for k, v in params] if p)
    else:
        headers.append(("X-Amz-Date", amz_date))
        if token:
            headers.append(("X-Amz-Security-Token", token))
    signed = sorted((name.lower(), " ".join(value.split())) for name, value in headers)
    if presigned:
        signed = [h for h in signed if h[0] == "host"]
    signed_names = ";".join(name for name, _ in signed)
    pairs = sorted(tuple(p.split("=", 1)) if "=" in p else (p, "") for p in query.split("&") if p)
    canonical = "\n".join([method, quote(path, safe="/-_.~"), "&".join("%s=%s" % p for p in pairs),
                           "".join("%s:%s\n" % h for h in signed), signed_names,
                           hashlib.sha256(body.encode()).hexdigest()])
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                         hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + secret).encode()
    for part in (date, "us-east-1", "states", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    if presigned:
        query += "&X-Amz-Signature=" + signature
    else:
        headers.append(("Authorization", "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s"
                        % (key_id, scope, signed_names, signature)))
    target = path + ("?" + query if query else "")
    return "%s %s\n%s\n\n%s" % (method, target, "\n".join("%s: %s" % h for h in headers), body)


def sigv4_seeds():
    json_headers = [("Content-Type", "application/x-amz-json-1.0"),
                    ("X-Amz-Target", "AWSStepFunctions.ListStateMachines")]
    keys = [("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""),
            ("ASIATEMPORARY", "temporary-secret", "session-token")]
    seeds = []
    for key_id, secret, token in keys + [("AKIDUNKNOWN", "x", "")]:
        for presigned in (False, True):
            for date in ("20261201T000000Z", "20261130T230000Z"):  # now, and an hour early (expired)
                seeds.append(sign("POST", "/", "", list(json_headers), "{}", key_id, secret, token, date, presigned))
    seeds.append(sign("GET", "/schedules/a b", "groupName=default&MaxResults=5", [], "",
                      keys[0][0], keys[0][1], "", "20261201T000000Z", False))
    seeds += ["POST /\nHost: h\n\n{}", "GET /?X-Amz-Algorithm=AWS4-HMAC-SHA256\nHost: h\n\n",
              "POST /\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/states/"
              "aws4_request\nX-Amz-Date: 20261201T000000Z\n\n"]
    write("sigv4", seeds)


def credentials_seeds():
    write("credentials", [
        "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n",
        "# comment\n; other comment\n[profile ci]\naws_access_key_id=ASIA1\naws_secret_access_key=secret-one\n"
        "aws_session_token = token\n\n[admin]\r\naws_access_key_id = AKID2\r\naws_secret_access_key = s2\r\n",
        "[only-region]\nregion = us-east-1\n[k]\naws_access_key_id = A\naws_secret_access_key = B\n",
        "[a]\naws_access_key_id = SAME\naws_secret_access_key = x1\n[b]\naws_access_key_id = SAME\n"
        "aws_secret_access_key = x2\n",
        "[nosecret]\naws_access_key_id = AKIDNOSECRET\n", "aws_access_key_id = before-section\n",
        "[broken\n", "[]\n", "[x]\nno equals sign\n", "", "[empty]\n",
    ])


if __name__ == "__main__":
    json_seeds()
    definition_seeds()
    write("jsonpath", path_seeds(is_path_field))
    write("intrinsic", path_seeds(lambda key, text: text.startswith("States.")))
    jsonata_seeds()
    schedule_seeds()
    decision_seeds()
    project_config_seeds()
    json_call_seeds()
    sigv4_seeds()
    credentials_seeds()
