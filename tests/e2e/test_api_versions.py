"""End-to-end tests of Step Functions state machine versions and aliases over the HTTP API of
`autoretrain serve` (docs/api.md, "Versions and aliases"): boto3 publishes on create and on
update, publishes an unchanged revision idempotently and a stale one as ConflictException,
lists versions newest first, starts executions by version ARN (the old definition runs after an
update) and by an alias that splits 50/50 (both versions run), refuses to delete a version an
alias routes to, and finds everything again after the daemon is killed and restarted.

Debian's python3-boto3 predates versions and aliases (2023): its Step Functions model lacks
the operations and members. The test hands the client a copy of its own model with them added
(AWS_DATA_PATH), written from the API reference; a boto3 that already has them uses its own.
"""

import json
import os
import signal
import subprocess
import tempfile
import shutil

from api_support import (ACCOUNT_ARN, BOTO_SCRIPT, ROLE_ARN, SYSTEM_PYTHON, ApiTestCase,
                         client_env)


def definition(result):
    return json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": result,
                                                         "End": True}}})


def machine_arn(name):
    return f"{ACCOUNT_ARN}:stateMachine:{name}"


# Writes, into the folder argv[1], Debian botocore's Step Functions model with the version and
# alias operations and members added; prints "added" or "native" (the model already has them).
MODEL_SCRIPT = r"""
import json, os, sys
import botocore.loaders
loader = botocore.loaders.Loader()
model = loader.load_service_model("stepfunctions", "service-2")
if "PublishStateMachineVersion" in model["operations"]:
    print("native")
    sys.exit(0)
shapes = model["shapes"]
shapes.update({
    "VxString": {"type": "string"},
    "VxBoolean": {"type": "boolean"},
    "VxInteger": {"type": "integer"},
    "VxTimestamp": {"type": "timestamp"},
    "ConflictException": {"type": "structure", "exception": True,
                          "members": {"message": {"shape": "VxString"}}},
    "ServiceQuotaExceededException": {"type": "structure", "exception": True,
                                      "members": {"message": {"shape": "VxString"}}},
    "VxRoute": {"type": "structure", "required": ["stateMachineVersionArn", "weight"],
                "members": {"stateMachineVersionArn": {"shape": "VxString"},
                            "weight": {"shape": "VxInteger"}}},
    "VxRoutes": {"type": "list", "member": {"shape": "VxRoute"}},
    "VxVersionItem": {"type": "structure",
                      "members": {"stateMachineVersionArn": {"shape": "VxString"},
                                  "creationDate": {"shape": "VxTimestamp"}}},
    "VxVersionList": {"type": "list", "member": {"shape": "VxVersionItem"}},
    "VxAliasItem": {"type": "structure",
                    "members": {"stateMachineAliasArn": {"shape": "VxString"},
                                "creationDate": {"shape": "VxTimestamp"}}},
    "VxAliasList": {"type": "list", "member": {"shape": "VxAliasItem"}},
})
def add_members(shape, **members):
    for name, kind in members.items():
        shapes[shape]["members"][name] = {"shape": kind}
add_members("CreateStateMachineInput", publish="VxBoolean", versionDescription="VxString")
add_members("CreateStateMachineOutput", stateMachineVersionArn="VxString")
add_members("UpdateStateMachineInput", publish="VxBoolean", versionDescription="VxString")
add_members("UpdateStateMachineOutput", revisionId="VxString", stateMachineVersionArn="VxString")
add_members("DescribeStateMachineOutput", revisionId="VxString", description="VxString")
add_members("DescribeExecutionOutput", stateMachineVersionArn="VxString",
            stateMachineAliasArn="VxString")
add_members("DescribeStateMachineForExecutionOutput", revisionId="VxString")
add_members("ExecutionListItem", stateMachineVersionArn="VxString",
            stateMachineAliasArn="VxString")
add_members("ExecutionStartedEventDetails", stateMachineVersionArn="VxString",
            stateMachineAliasArn="VxString")
operations = {
    "PublishStateMachineVersion": (
        {"stateMachineArn": "VxString", "revisionId": "VxString", "description": "VxString"},
        ["stateMachineArn"],
        {"creationDate": "VxTimestamp", "stateMachineVersionArn": "VxString"}),
    "ListStateMachineVersions": (
        {"stateMachineArn": "VxString", "nextToken": "VxString", "maxResults": "VxInteger"},
        ["stateMachineArn"],
        {"stateMachineVersions": "VxVersionList", "nextToken": "VxString"}),
    "DeleteStateMachineVersion": (
        {"stateMachineVersionArn": "VxString"}, ["stateMachineVersionArn"], {}),
    "CreateStateMachineAlias": (
        {"description": "VxString", "name": "VxString", "routingConfiguration": "VxRoutes"},
        ["name", "routingConfiguration"],
        {"stateMachineAliasArn": "VxString", "creationDate": "VxTimestamp"}),
    "DescribeStateMachineAlias": (
        {"stateMachineAliasArn": "VxString"}, ["stateMachineAliasArn"],
        {"stateMachineAliasArn": "VxString", "name": "VxString", "description": "VxString",
         "routingConfiguration": "VxRoutes", "creationDate": "VxTimestamp",
         "updateDate": "VxTimestamp"}),
    "UpdateStateMachineAlias": (
        {"stateMachineAliasArn": "VxString", "description": "VxString",
         "routingConfiguration": "VxRoutes"},
        ["stateMachineAliasArn"], {"updateDate": "VxTimestamp"}),
    "DeleteStateMachineAlias": (
        {"stateMachineAliasArn": "VxString"}, ["stateMachineAliasArn"], {}),
    "ListStateMachineAliases": (
        {"stateMachineArn": "VxString", "nextToken": "VxString", "maxResults": "VxInteger"},
        ["stateMachineArn"],
        {"stateMachineAliases": "VxAliasList", "nextToken": "VxString"}),
}
errors = [{"shape": name} for name in (
    "ConflictException", "ServiceQuotaExceededException", "ResourceNotFound", "InvalidArn",
    "ValidationException", "StateMachineDoesNotExist", "StateMachineDeleting", "InvalidName")]
for name, (inputs, required, outputs) in operations.items():
    shapes[name + "Input"] = {"type": "structure", "required": required,
                              "members": {k: {"shape": v} for k, v in inputs.items()}}
    shapes[name + "Output"] = {"type": "structure",
                               "members": {k: {"shape": v} for k, v in outputs.items()}}
    model["operations"][name] = {"name": name, "http": {"method": "POST", "requestUri": "/"},
                                 "input": {"shape": name + "Input"},
                                 "output": {"shape": name + "Output"}, "errors": errors}
folder = os.path.join(sys.argv[1], "stepfunctions", model["metadata"]["apiVersion"])
os.makedirs(folder)
with open(os.path.join(folder, "service-2.json"), "w") as out:
    json.dump(model, out)
print("added")
"""


class VersionsApiTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.models = tempfile.mkdtemp(prefix="autoretrain-sfn-model-")
        made = subprocess.run([SYSTEM_PYTHON, "-c", MODEL_SCRIPT, cls.models],
                              capture_output=True, text=True, timeout=60)
        assert made.returncode == 0, made.stderr
        cls.model_added = made.stdout.strip() == "added"

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.models, True)
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.project = self.init_project(fast_pipeline=True)
        self.start_api(self.project)

    def boto(self, *calls):
        """ApiTestCase.boto with the model that has versions and aliases."""
        env = client_env()
        if self.model_added:
            env["AWS_DATA_PATH"] = self.models
        proc = subprocess.run([SYSTEM_PYTHON, "-c", BOTO_SCRIPT, self.endpoint],
                              input=json.dumps(list(calls)), capture_output=True, text=True,
                              env=env, timeout=180)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)

    def error_of(self, op, **params):
        result = self.boto({"op": op, "params": params})[0]
        self.assertIn("error", result, result)
        return result

    def run_all(self, arns):
        """Starts one execution per ARN and waits for them all; returns DescribeExecution of
        each, in order."""
        started = self.boto(*[{"op": "start_execution", "params": {"stateMachineArn": arn}}
                              for arn in arns])
        for result in started:
            self.assertIn("ok", result, result)
        described = self.boto(*[{"op": "wait_execution",
                                 "params": {"executionArn": s["ok"]["executionArn"]}}
                                for s in started])
        for result in described:
            self.assertIn("ok", result, result)
            self.assertEqual(result["ok"]["status"], "SUCCEEDED", result)
        return [result["ok"] for result in described]

    def create_two_versions(self, name):
        arn = machine_arn(name)
        created = self.boto_ok("create_state_machine", name=name, definition=definition("one"),
                               roleArn=ROLE_ARN, publish=True, versionDescription="first")
        self.assertEqual(created["stateMachineVersionArn"], f"{arn}:1")
        updated = self.boto_ok("update_state_machine", stateMachineArn=arn,
                               definition=definition("two"), publish=True,
                               versionDescription="second")
        self.assertEqual(updated["stateMachineVersionArn"], f"{arn}:2")
        self.assertIn("revisionId", updated)
        return arn

    def test_publish_list_and_start_by_version(self):
        arn = self.create_two_versions("versioned")
        # Publishing the unchanged revision returns the existing version.
        again = self.boto_ok("publish_state_machine_version", stateMachineArn=arn)
        self.assertEqual(again["stateMachineVersionArn"], f"{arn}:2")
        revision = self.boto_ok("describe_state_machine", stateMachineArn=arn)["revisionId"]
        stale = self.error_of("publish_state_machine_version", stateMachineArn=arn,
                              revisionId="stale-" + revision)
        self.assertEqual(stale["error"], "ConflictException")
        self.assertEqual(stale["status"], 400)

        listed = self.boto_ok("list_state_machine_versions", stateMachineArn=arn)
        self.assertEqual([v["stateMachineVersionArn"] for v in listed["stateMachineVersions"]],
                         [f"{arn}:2", f"{arn}:1"])
        first_page = self.boto_ok("list_state_machine_versions", stateMachineArn=arn,
                                  maxResults=1)
        self.assertEqual(len(first_page["stateMachineVersions"]), 1)
        second_page = self.boto_ok("list_state_machine_versions", stateMachineArn=arn,
                                   maxResults=1, nextToken=first_page["nextToken"])
        self.assertEqual(second_page["stateMachineVersions"][0]["stateMachineVersionArn"],
                         f"{arn}:1")
        self.assertNotIn("nextToken", second_page)

        # Version 1 runs the definition it was published with, the machine its latest.
        by_version, latest = self.run_all([f"{arn}:1", arn])
        self.assertEqual(json.loads(by_version["output"]), "one")
        self.assertEqual(by_version["stateMachineArn"], arn)
        self.assertEqual(by_version["stateMachineVersionArn"], f"{arn}:1")
        self.assertNotIn("stateMachineAliasArn", by_version)
        self.assertEqual(json.loads(latest["output"]), "two")
        self.assertNotIn("stateMachineVersionArn", latest)
        ran = self.boto_ok("describe_state_machine_for_execution",
                           executionArn=by_version["executionArn"])
        self.assertEqual(json.loads(ran["definition"])["States"]["P"]["Result"], "one")

        described = self.boto_ok("describe_state_machine", stateMachineArn=f"{arn}:1")
        self.assertEqual(described["stateMachineArn"], f"{arn}:1")
        self.assertEqual(described["description"], "first")
        self.assertEqual(json.loads(described["definition"])["States"]["P"]["Result"], "one")
        missing = self.error_of("start_execution", stateMachineArn=f"{arn}:7")
        self.assertEqual(missing["error"], "StateMachineDoesNotExist")
        self.assertIn(f"{arn}:7", missing["message"])

    def test_alias_splits_between_two_versions_and_protects_them(self):
        arn = self.create_two_versions("aliased")
        split = [{"stateMachineVersionArn": f"{arn}:1", "weight": 50},
                 {"stateMachineVersionArn": f"{arn}:2", "weight": 50}]
        digits = self.error_of("create_state_machine_alias", name="123",
                               routingConfiguration=split)
        self.assertEqual(digits["error"], "ValidationException")
        bad_sum = self.error_of("create_state_machine_alias", name="live",
                                routingConfiguration=[dict(split[0], weight=60), split[1]])
        self.assertEqual(bad_sum["error"], "ValidationException")
        self.assertIn("100", bad_sum["message"])
        created = self.boto_ok("create_state_machine_alias", name="live", description="canary",
                               routingConfiguration=split)
        alias = f"{arn}:live"
        self.assertEqual(created["stateMachineAliasArn"], alias)

        # 40 starts through a 50/50 alias: both versions run (all on one side: 2^-39).
        runs = self.run_all([alias] * 40)
        outputs = {json.loads(run["output"]) for run in runs}
        self.assertEqual(outputs, {"one", "two"})
        for run in runs:
            self.assertEqual(run["stateMachineAliasArn"], alias)
            number = "1" if json.loads(run["output"]) == "one" else "2"
            self.assertEqual(run["stateMachineVersionArn"], f"{arn}:{number}")
        # The version and alias an execution started with: in its first event and in
        # ListExecutions, which lists an alias's or a version's executions when given its ARN.
        history = self.boto_ok("get_execution_history", executionArn=runs[0]["executionArn"],
                               maxResults=1)
        started = history["events"][0]["executionStartedEventDetails"]
        self.assertEqual(started["stateMachineAliasArn"], alias)
        self.assertEqual(started["stateMachineVersionArn"], runs[0]["stateMachineVersionArn"])
        self.run_all([arn])  # one more, started with the machine's own ARN
        everything = self.boto_ok("list_executions", stateMachineArn=arn)["executions"]
        self.assertEqual(len(everything), 41)
        self.assertNotIn("stateMachineVersionArn", everything[0])  # the newest: unqualified
        through_alias = self.boto_ok("list_executions", stateMachineArn=alias)["executions"]
        self.assertEqual({e["executionArn"] for e in through_alias},
                         {run["executionArn"] for run in runs})
        for item in through_alias:
            self.assertEqual(item["stateMachineAliasArn"], alias)
            self.assertEqual(item["stateMachineArn"], arn)
        of_version = self.boto_ok("list_executions", stateMachineArn=f"{arn}:1",
                                  maxResults=5)["executions"]
        self.assertEqual({e["stateMachineVersionArn"] for e in of_version}, {f"{arn}:1"})
        self.assertEqual(len(of_version), min(5, [r["stateMachineVersionArn"] for r in runs]
                                              .count(f"{arn}:1")))
        unknown = self.error_of("list_executions", stateMachineArn=f"{arn}:other")
        self.assertEqual(unknown["error"], "ResourceNotFound")

        routed = self.error_of("delete_state_machine_version", stateMachineVersionArn=f"{arn}:2")
        self.assertEqual(routed["error"], "ConflictException")
        self.assertIn(alias, routed["message"])

        described = self.boto_ok("describe_state_machine_alias", stateMachineAliasArn=alias)
        self.assertEqual(described["name"], "live")
        self.assertEqual(described["description"], "canary")
        self.assertEqual(described["routingConfiguration"], split)
        self.boto_ok("update_state_machine_alias", stateMachineAliasArn=alias,
                     routingConfiguration=[{"stateMachineVersionArn": f"{arn}:1",
                                            "weight": 100}])
        self.assertEqual({json.loads(r["output"]) for r in self.run_all([alias] * 5)}, {"one"})
        self.assertEqual(self.boto_ok("delete_state_machine_version",
                                      stateMachineVersionArn=f"{arn}:2"), {})
        listed = self.boto_ok("list_state_machine_aliases", stateMachineArn=arn)
        self.assertEqual([a["stateMachineAliasArn"] for a in listed["stateMachineAliases"]],
                         [alias])

        # Deleting the machine takes its versions and aliases along.
        self.boto_ok("delete_state_machine", stateMachineArn=arn)
        gone = self.error_of("describe_state_machine_alias", stateMachineAliasArn=alias)
        self.assertEqual(gone["error"], "ResourceNotFound")

    def test_restart_keeps_versions_and_aliases(self):
        arn = self.create_two_versions("durable")
        self.boto_ok("create_state_machine_alias", name="prod",
                     routingConfiguration=[{"stateMachineVersionArn": f"{arn}:1",
                                            "weight": 100}])
        self.boto_ok("delete_state_machine_version", stateMachineVersionArn=f"{arn}:2")

        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.start_api(self.project)

        listed = self.boto_ok("list_state_machine_versions", stateMachineArn=arn)
        self.assertEqual([v["stateMachineVersionArn"] for v in listed["stateMachineVersions"]],
                         [f"{arn}:1"])
        by_alias, by_version, latest = self.run_all([f"{arn}:prod", f"{arn}:1", arn])
        self.assertEqual(json.loads(by_alias["output"]), "one")
        self.assertEqual(by_alias["stateMachineAliasArn"], f"{arn}:prod")
        self.assertEqual(json.loads(by_version["output"]), "one")
        self.assertEqual(json.loads(latest["output"]), "two")
        # Version numbers are never reused: the revision of deleted version 2 becomes 3.
        again = self.boto_ok("publish_state_machine_version", stateMachineArn=arn)
        self.assertEqual(again["stateMachineVersionArn"], f"{arn}:3")


if __name__ == "__main__":
    import unittest
    unittest.main()
