"""The project and the API client of the daemon kill soak (test_daemon_kill_soak.py); holds no
tests.

The project mixes what a daemon does at once: a parent that waits for a child
(states:startExecution.sync:2) and starts another without waiting, a Map and a Parallel whose
iterations and branch start children too, a Wait, command functions that log every call, a
callback task waiting for an approval (lambda:invoke.waitForTaskToken), and schedules: at() slots
a few seconds apart (half catch up missed slots, half skip them, the default) and a rate(1
minute) that catches up.

The client (DRIVER_PY, run with /usr/bin/python3, which has boto3) lives through every restart:
it reads the daemon's endpoint and generation from control.json, starts executions through the
API (while the daemon runs fewer than a given number) and answers the approvals whose token it
saw before the latest restart. Once control.json
says "stop", it answers the remaining approvals, waits until nothing is RUNNING and dumps every
execution with its history to dump.json ({"dumped_at", "executions"}). What it did goes to
driver.jsonl, one JSON line each.
"""

import datetime
import json

# RECORD_PY: the command function that logs each call (one JSON line), then sleeps.
from test_crash_recovery import ACCOUNT_PREFIX, FUNCTION_ARN, RECORD_PY
MACHINES = ("parent", "fanout", "approval", "child", "tick")

def work(machine, next_state=None, **parameters):
    """A Task calling the `work` command function, which logs who called it."""
    state = {"Type": "Task", "Resource": FUNCTION_ARN + "work",
             "Parameters": {"machine": machine, "e.$": "$$.Execution.Name",
                            "start.$": "$$.Execution.StartTime", **parameters},
             "ResultPath": None}
    return dict(state, Next=next_state) if next_state else dict(state, End=True)


def start_child(via, resource="startExecution", next_state=None, **child_input):
    """A Task starting the child machine (without a Name: exactly once across crashes); the
    child's input names the parent and the place that started it."""
    state = {"Type": "Task", "Resource": "arn:aws:states:::states:" + resource,
             "Parameters": {"StateMachineArn": ACCOUNT_PREFIX + ":stateMachine:child",
                            "Input": {"parent.$": "$$.Execution.Id", "via": via,
                                      **child_input}},
             "ResultSelector": {"arn.$": "$.ExecutionArn"}}
    return dict(state, Next=next_state) if next_state else dict(state, End=True)


PARENT = {"StartAt": "Record", "States": {
    "Record": work("parent", "Pause"),
    "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Train"},
    "Train": dict(start_child("Train", "startExecution.sync:2", "Notify"), ResultPath="$.train"),
    "Notify": dict(start_child("Notify", next_state="Done"), ResultPath="$.notify"),
    "Done": {"Type": "Pass", "End": True},
}}

FANOUT = {"StartAt": "Items", "States": {
    "Items": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2,
              "ItemSelector": {"index.$": "$$.Map.Item.Index"},
              "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "ItemWork",
                                "States": {"ItemWork": work("fanout", "ItemChild",
                                                            **{"index.$": "$.index"}),
                                           "ItemChild": start_child("Item",
                                                                    **{"index.$": "$.index"})}},
              "ResultPath": "$.map", "Next": "Both"},
    "Both": {"Type": "Parallel", "ResultPath": "$.both", "End": True, "Branches": [
        {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 1, "End": True}}},
        {"StartAt": "BranchWork", "States": {"BranchWork": work("fanout", "BranchChild"),
                                             "BranchChild": start_child("Branch")}}]},
}}

# The approval gate in its general form: the function is handed the task token, and the
# execution waits until someone answers it (SendTaskSuccess).
APPROVAL = {"StartAt": "Ask", "States": {
    "Ask": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": FUNCTION_ARN + "approve",
                           "Payload": {"e.$": "$$.Execution.Name", "token.$": "$$.Task.Token"}},
            "ResultPath": "$.answer", "Next": "Done"},
    "Done": {"Type": "Pass", "End": True},
}}

CHILD = {"StartAt": "Rest", "States": {
    "Rest": {"Type": "Wait", "Seconds": 1, "Next": "Note"},
    "Note": work("child"),
}}

TICK = {"StartAt": "Tick", "States": {"Tick": work("tick", **{"schedule.$": "$.schedule"})}}

DEFINITIONS = {"parent": PARENT, "fanout": FANOUT, "approval": APPROVAL, "child": CHILD,
               "tick": TICK}
# The states each execution enters at the top level, in order, once each.
TOP_LEVEL_STATES = {"parent": ["Record", "Pause", "Train", "Notify", "Done"],
                    "fanout": ["Items", "Both"], "approval": ["Ask", "Done"],
                    "child": ["Rest", "Note"], "tick": ["Tick"]}

MINUTELY = "minutely"


def at_schedules(first, spacing_seconds, count):
    """`count` at() schedules, `spacing_seconds` apart from `first` (UTC, whole seconds),
    alternately catching up missed slots (at-all-N) and skipping them (at-skip-N). Returns
    {name: (slot datetime, config)}."""
    schedules = {}
    for i in range(count):
        slot = first + datetime.timedelta(seconds=i * spacing_seconds)
        name = f"at-{'all' if i % 2 == 0 else 'skip'}-{i:03d}"
        config = {"expression": f"at({slot.strftime('%Y-%m-%dT%H:%M:%S')})",
                  "state_machine": "tick", "input": {"schedule": name}}
        if i % 2 == 0:
            config["missed_slots"] = {"policy": "ALL", "window_minutes": 60}
        schedules[name] = (slot, config)
    return schedules


def write_project(project, at_slots):
    """Writes the project; `at_slots` as at_schedules returns them."""
    project.mkdir(parents=True)
    (project / "record.py").write_text(RECORD_PY)
    for name, definition in DEFINITIONS.items():
        (project / f"{name}.asl.json").write_text(json.dumps(definition))
    schedules = {name: config for name, (_, config) in at_slots.items()}
    schedules[MINUTELY] = {"expression": "rate(1 minute)", "state_machine": "tick",
                           "input": {"schedule": MINUTELY},
                           "missed_slots": {"policy": "ALL", "window_minutes": 60}}
    (project / "autoretrain.json").write_text(json.dumps({
        "state_machines": {name: {"definition": f"{name}.asl.json"} for name in DEFINITIONS},
        "functions": {
            "work": {"command": ["python3", "record.py", "work.log", "0.1"],
                     "timeout_seconds": 60},
            "approve": {"command": ["python3", "record.py", "approvals.log", "0"],
                        "timeout_seconds": 60},
        },
        "schedules": schedules,
    }))


def approval_answer(token):
    """The output the client answers a token with (DRIVER_PY's answer() sends the same)."""
    return {"approved": token[-16:]}


DRIVER_PY = r'''
import datetime, json, os, random, sys, time, urllib.request
import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

workdir, seed, pace, in_flight, drain_timeout = (
    sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]))
ACCOUNT = "arn:aws:states:us-east-1:123456789012"
rng = random.Random(seed)
out = open(os.path.join(workdir, "driver.jsonl"), "a", buffering=1)


def emit(**fields):
    out.write(json.dumps(fields, default=str) + "\n")


def control():
    try:
        with open(os.path.join(workdir, "control.json")) as f:
            return json.load(f)  # written by rename: never partial
    except FileNotFoundError:
        return None


clients = {}


def client(endpoint):
    if endpoint not in clients:
        clients[endpoint] = boto3.client(
            "stepfunctions", endpoint_url=endpoint, region_name="us-east-1",
            aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
            config=Config(retries={"max_attempts": 1}, connect_timeout=2, read_timeout=60))
    return clients[endpoint]


tokens = {}  # token -> {"execution", "seen": generation first seen, "answered", "tried"}
approvals_offset = 0


def read_tokens(generation):
    global approvals_offset
    try:
        with open(os.path.join(workdir, "project", "approvals.log")) as f:
            f.seek(approvals_offset)
            text = f.read()
    except FileNotFoundError:
        return
    whole = text[:text.rfind("\n") + 1]  # a killed function may leave half a line
    approvals_offset += len(whole)
    for line in whole.splitlines():
        if line.endswith("}"):
            event = json.loads(line)
            tokens.setdefault(event["token"], {"execution": event["e"], "seen": generation,
                                               "answered": False, "tried": False})


def answer(c, token):
    """SendTaskSuccess; False when the daemon did not answer (killed)."""
    info = tokens[token]
    retry = info["tried"]
    info["tried"] = True
    try:
        c.send_task_success(taskToken=token, output=json.dumps({"approved": token[-16:]}))
        emit(kind="answered", execution=info["execution"])
    except ClientError as e:
        code = e.response["Error"]["Code"]
        # A retried answer whose first try the kill cut off may have been taken already.
        if not (retry and code in ("TaskTimedOut", "TaskDoesNotExist")):
            emit(kind="api_error", op="SendTaskSuccess", code=code,
                 message=e.response["Error"].get("Message", ""), execution=info["execution"])
    except BotoCoreError as e:
        emit(kind="unknown", op="SendTaskSuccess", error=type(e).__name__)
        return False
    info["answered"] = True
    return True


def busy(endpoint):
    """Whether the daemon runs `in_flight` executions or more (GET /healthz): the client then
    starts nothing, so that a daemon killed every few seconds still catches up. Counted as busy
    when the daemon does not answer."""
    try:
        with urllib.request.urlopen(endpoint + "/healthz", timeout=10) as response:
            return json.load(response)["running_executions"] >= in_flight
    except OSError:
        return True


named = []  # (params, arn) of accepted named starts, replayed now and then


def start(c, generation, n):
    """One StartExecution (or a replay of a named one); False when the daemon did not answer."""
    if named and rng.random() < 0.1:
        params, arn = rng.choice(named[-20:])
        try:
            replayed = c.start_execution(**params)["executionArn"]
            emit(kind="replayed", arn=replayed, expected=arn)
        except ClientError as e:
            code = e.response["Error"]["Code"]
            # AWS: the same name and input while it runs returns it; once it ended, this.
            if code != "ExecutionAlreadyExists":
                emit(kind="api_error", op="StartExecution", code=code,
                     message=e.response["Error"].get("Message", ""))
        except BotoCoreError as e:
            emit(kind="unknown", op="StartExecution", name=params["name"], error=type(e).__name__)
            return False
        return True
    machine = rng.choices(["parent", "fanout", "approval"], [3, 2, 1])[0]
    execution_input = {"n": n}
    if machine == "fanout":
        execution_input["items"] = list(range(rng.randint(1, 3)))
    params = {"stateMachineArn": f"{ACCOUNT}:stateMachine:{machine}",
              "input": json.dumps(execution_input)}
    if rng.random() < 0.5:
        params["name"] = f"api-g{generation}-{n}"
    try:
        arn = c.start_execution(**params)["executionArn"]
    except ClientError as e:
        emit(kind="api_error", op="StartExecution", code=e.response["Error"]["Code"],
             message=e.response["Error"].get("Message", ""))
        return True
    except BotoCoreError as e:
        emit(kind="unknown", op="StartExecution", name=params.get("name"), error=type(e).__name__)
        return False
    emit(kind="accepted", machine=machine, arn=arn, generation=generation)
    if "name" in params:
        named.append((params, arn))
    return True


# While the daemons come and go.
n = 0
failed_generation = None  # after a call the daemon did not answer, wait for the next one
while True:
    ctl = control()
    if ctl is None or ctl["generation"] == failed_generation:
        time.sleep(0.02)
        continue
    if ctl["stop"]:
        break
    generation, c = ctl["generation"], client(ctl["endpoint"])
    read_tokens(generation)
    ok = True
    for token, info in list(tokens.items()):
        if ok and not info["answered"] and generation > info["seen"]:
            ok = answer(c, token)
    if ok and not busy(ctl["endpoint"]):
        n += 1
        ok = start(c, generation, n)
    if not ok:
        failed_generation = generation
    time.sleep(rng.uniform(0, 2 * pace))

# The last daemon: answer everything, wait until nothing runs, dump. A schedule may fire
# between the drain and the dump (the rate(1 minute) runs on): then drain and dump again.
c = client(ctl["endpoint"])
deadline = time.time() + drain_timeout


def drain():
    while True:
        read_tokens(ctl["generation"])
        for token, info in list(tokens.items()):
            if not info["answered"]:
                answer(c, token)
        running = []
        for machine in ("parent", "fanout", "approval", "child", "tick"):
            pages = c.get_paginator("list_executions").paginate(
                stateMachineArn=f"{ACCOUNT}:stateMachine:{machine}", statusFilter="RUNNING")
            running += [e["executionArn"] for page in pages for e in page["executions"]]
        if not running and all(info["answered"] for info in tokens.values()):
            return True
        if time.time() > deadline:
            emit(kind="drain_timeout", running=running)
            return False
        time.sleep(0.2)


def collect():
    dump = {"dumped_at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
            "executions": []}
    for machine in ("parent", "fanout", "approval", "child", "tick"):
        pages = c.get_paginator("list_executions").paginate(
            stateMachineArn=f"{ACCOUNT}:stateMachine:{machine}")
        for page in pages:
            for listed in page["executions"]:
                described = c.describe_execution(executionArn=listed["executionArn"])
                described.pop("ResponseMetadata", None)
                events = []
                for events_page in c.get_paginator("get_execution_history").paginate(
                        executionArn=listed["executionArn"]):
                    events += events_page["events"]
                dump["executions"].append({"machine": machine, "execution": described,
                                           "events": events})
    return dump


while True:
    drained = drain()
    dump = collect()
    late = [x["execution"]["executionArn"] for x in dump["executions"]
            if x["execution"]["status"] == "RUNNING"]
    if not drained or not late:
        break
    emit(kind="started_during_dump", running=late)
with open(os.path.join(workdir, "dump.json"), "w") as f:
    json.dump(dump, f, default=str)
'''
