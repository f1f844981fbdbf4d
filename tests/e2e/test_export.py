"""End-to-end tests of `autoretrain export cloudformation` (docs/deploy.md).

The starter projects (seed and policy templates) are exported as JSON and YAML and checked:
against the CloudFormation resource specification (tests/deploy/check_template.js over
@aws-cdk/cfnspec; skipped when tests/deploy/node_modules is missing: run
scripts/install-test-servers.sh), definitions unchanged but for substituted ARNs, the IAM
actions granted against an independent reading of what the definitions call, and the decision
function's policy against the seed's.
"""

import json
import re
import shutil
import subprocess
import unittest

from test_cli_support import SEED_DIR, SOURCE_DIR, TempDirTestCase, autoretrain

DEPLOY_DIR = SOURCE_DIR / "tests" / "deploy"
CHECKER = DEPLOY_DIR / "check_template.js"
SPEC = DEPLOY_DIR / "node_modules" / "@aws-cdk" / "cfnspec" / "spec" / "specification.json"

try:
    import yaml  # PyYAML, for reading the YAML template back
except ImportError:  # pragma: no cover - Debian's python3-yaml is in install-deps
    yaml = None


def resolve_sub(text, parameters, pseudo):
    """An Fn::Sub string with ${Param} and ${AWS::...} replaced by defaults / pseudo values."""
    def value(match):
        name = match.group(1)
        if name in pseudo:
            return pseudo[name]
        return parameters[name]["Default"]
    return re.sub(r"\$\{([^!}]+)\}", value, text)


PSEUDO = {"AWS::Partition": "aws", "AWS::Region": "us-east-1", "AWS::AccountId": "123456789012"}


def expected_actions(definition):
    """The IAM actions a definition's Task states need, read independently of the exporter:
    AWS's documented permissions for each service integration the starter projects use."""
    actions = set()

    def walk(machine):
        for state in machine.get("States", {}).values():
            kind = state.get("Type")
            if kind == "Parallel":
                for branch in state["Branches"]:
                    walk(branch)
            elif kind == "Map":
                walk(state.get("ItemProcessor") or state.get("Iterator"))
            elif kind == "Task":
                resource = state["Resource"]
                if resource.startswith("arn:aws:states:::lambda:invoke") or ":function:" in resource:
                    actions.add("lambda:InvokeFunction")
                elif resource.startswith("arn:aws:states:::states:startExecution"):
                    actions.add("states:StartExecution")
                    if ".sync" in resource:
                        actions.update({"states:DescribeExecution", "states:StopExecution",
                                        "events:PutTargets", "events:PutRule",
                                        "events:DescribeRule"})
                elif resource.startswith("arn:aws:states:::dynamodb:"):
                    api = resource.split(":")[-1].split(".")[0]
                    actions.add("dynamodb:" + api[0].upper() + api[1:])
                elif resource.startswith("arn:aws:states:::sns:publish"):
                    actions.add("sns:Publish")
                else:
                    raise AssertionError("the test does not know " + resource)
    walk(definition)
    return actions


class ExportTest(TempDirTestCase):

    def export(self, project, fmt="json", extra=()):
        proc = autoretrain("export", "cloudformation", "--project", project, "--format", fmt,
                           *extra)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc

    def project(self, template):
        project = self.tmp / template
        self.run_ok("init", project, "--template", template)
        return project

    def check_against_spec(self, template_path):
        if not SPEC.exists():
            self.skipTest("tests/deploy/node_modules is missing: run scripts/install-test-servers.sh")
        if shutil.which("node") is None:
            self.skipTest("node is not installed")
        proc = subprocess.run(["node", str(CHECKER), str(template_path)], capture_output=True,
                              text=True, timeout=120)
        report = json.loads(proc.stdout)
        self.assertEqual(report["errors"], [], proc.stdout)
        self.assertEqual(proc.returncode, 0)
        return report

    def test_the_seed_project_exports_a_template_the_specification_accepts(self):
        project = self.project("seed")
        out = self.tmp / "template.json"
        proc = self.export(project, extra=("--output", out))
        self.assertEqual(proc.stdout, "")
        template = json.loads(out.read_text())
        # The weekly schedule, as the seed's EventBridge rule: Mondays 03:00 UTC.
        schedule = template["Resources"]["WeeklyRetrainingCheckSchedule"]["Properties"]
        self.assertEqual(schedule["ScheduleExpression"], "cron(0 3 ? * MON *)")
        self.assertEqual(schedule["ScheduleExpressionTimezone"], "UTC")
        self.assertEqual(schedule["FlexibleTimeWindow"], {"Mode": "OFF"})
        self.assertEqual(schedule["Target"]["Arn"], {"Fn::Sub": (
            "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:"
            "stateMachine:creditcard-auto-retraining-trigger")})
        self.assertEqual(json.loads(schedule["Target"]["Input"]), {})
        self.assertIn("RetryPolicy", schedule["Target"])
        self.assertIn("DeadLetterConfig", schedule["Target"])
        # The scheduler's role may start its target and send to its queue, nothing else.
        role = template["Resources"]["WeeklyRetrainingCheckScheduleRole"]["Properties"]
        statements = role["Policies"][0]["PolicyDocument"]["Statement"]
        self.assertEqual([s["Action"] for s in statements],
                         [["states:StartExecution"], ["sqs:SendMessage"]])
        self.assertEqual(statements[0]["Resource"], [schedule["Target"]["Arn"]])
        # Last: skipped without tests/deploy/node_modules.
        report = self.check_against_spec(out)
        for kind in ("AWS::StepFunctions::StateMachine", "AWS::Lambda::Function",
                     "AWS::Scheduler::Schedule", "AWS::IAM::Role", "AWS::SQS::Queue"):
            self.assertIn(kind, report["checked"])
        self.assertEqual(report["checked"]["AWS::StepFunctions::StateMachine"], 3)

    def test_definitions_are_unchanged_but_for_the_substituted_arns(self):
        project = self.project("policy")
        template = json.loads(self.export(project).stdout)
        config = json.loads((project / "autoretrain.json").read_text())
        parameters = template.get("Parameters", {})
        machines = {r["Properties"]["StateMachineName"]: r["Properties"]
                    for r in template["Resources"].values()
                    if r["Type"] == "AWS::StepFunctions::StateMachine"}
        self.assertEqual(set(machines), set(config["state_machines"]))
        for name, entry in config["state_machines"].items():
            original = (project / entry["definition"]).read_text()
            properties = machines[name]
            text = properties["DefinitionString"]
            for key, value in properties.get("DefinitionSubstitutions", {}).items():
                self.assertIn("Fn::Sub", value)
                text = text.replace("${" + key + "}", resolve_sub(value["Fn::Sub"], parameters,
                                                                  PSEUDO))
            self.assertEqual(text, original, name)
        # The local account appears nowhere in a definition any more.
        for properties in machines.values():
            self.assertNotIn("123456789012", properties["DefinitionString"])

    def test_every_granted_action_is_one_the_definitions_use(self):
        for kind in ("seed", "policy"):
            project = self.project(kind)
            template = json.loads(self.export(project).stdout)
            config = json.loads((project / "autoretrain.json").read_text())
            resources = template["Resources"]
            for logical, resource in resources.items():
                if resource["Type"] != "AWS::StepFunctions::StateMachine":
                    continue
                properties = resource["Properties"]
                definition = json.loads(
                    (project / config["state_machines"][properties["StateMachineName"]]
                     ["definition"]).read_text())
                role = resources[properties["RoleArn"]["Fn::GetAtt"][0]]["Properties"]
                self.assertEqual(role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
                                 {"Service": "states.amazonaws.com"})
                granted = set()
                for policy in role.get("Policies", []):
                    for statement in policy["PolicyDocument"]["Statement"]:
                        self.assertEqual(statement["Effect"], "Allow")
                        granted.update(statement["Action"])
                        for r in statement["Resource"]:
                            self.assertNotEqual(r, "*", logical)
                self.assertEqual(granted, expected_actions(definition),
                                 f"{kind}: {logical}")

    def test_the_decision_function_gets_exactly_the_seeds_inline_policy(self):
        project = self.project("seed")
        template = json.loads(self.export(project).stdout)
        function = template["Resources"]["CheckRetrainingDecisionFunction"]["Properties"]
        self.assertEqual(function["FunctionName"], "check_retraining_decision")
        self.assertEqual(function["Runtime"], "provided.al2023")
        self.assertEqual(function["Handler"], "bootstrap")
        self.assertEqual(function["Code"], {"S3Bucket": {"Ref": "LambdaCodeBucket"},
                                            "S3Key": {"Ref": "LambdaCodeKey"}})
        role_id = function["Role"]["Fn::GetAtt"][0]
        role = template["Resources"][role_id]["Properties"]
        self.assertEqual(len(role["Policies"]), 1)
        document = role["Policies"][0]["PolicyDocument"]
        statement = document["Statement"][0]
        statement["Resource"] = resolve_sub(statement["Resource"]["Fn::Sub"],
                                            template["Parameters"], PSEUDO)
        seed = json.loads((SEED_DIR / "lambda_inline_policy.json").read_text())
        self.assertEqual(document, seed)
        # The seed also attaches AWSLambdaBasicExecutionRole (logs).
        self.assertEqual(len(role["ManagedPolicyArns"]), 1)
        self.assertIn("AWSLambdaBasicExecutionRole", role["ManagedPolicyArns"][0]["Fn::Sub"])

    def test_the_policy_project_has_its_history_table_and_warns_about_other_functions(self):
        project = self.project("policy")
        proc = self.export(project, "yaml")
        self.assertIn("evaluate_retraining_policy", proc.stderr)
        self.assertIn("train_model", proc.stderr)
        if yaml is None:
            self.skipTest("PyYAML is not installed")
        template = yaml.safe_load(proc.stdout)
        self.assertEqual(template, json.loads(self.export(project).stdout))
        table = template["Resources"]["AutoretrainRetrainingHistoryTable"]["Properties"]
        self.assertEqual(table["TableName"], "autoretrain-retraining-history")
        self.assertEqual(table["KeySchema"], [{"AttributeName": "model", "KeyType": "HASH"},
                                              {"AttributeName": "sk", "KeyType": "RANGE"}])
        self.assertEqual(table["BillingMode"], "PAY_PER_REQUEST")
        out = self.tmp / "policy.json"
        out.write_text(json.dumps(template))
        report = self.check_against_spec(out)
        self.assertIn("AWS::DynamoDB::Table", report["checked"])

    def test_errors_say_what_and_where(self):
        proc = autoretrain("export", "cloudformation", "--project", self.tmp / "missing")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("missing", proc.stderr)
        project = self.project("seed")
        broken = project / "state_machines" / "training_pipeline.asl.json"
        broken.write_text('{"StartAt": "Nowhere", "States": {}}')
        proc = autoretrain("export", "cloudformation", "--project", project)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("training_pipeline.asl.json", proc.stderr)
        proc = autoretrain("export", "cloudformation", "--project", project, "--format", "xml")
        self.assertEqual(proc.returncode, 2)
        proc = autoretrain("export", "cloudformation", "--project", self.project("policy"),
                           "--output", self.tmp / "no" / "such" / "dir" / "t.yaml")
        self.assertEqual(proc.returncode, 1)
        self.assertIn("cannot write the template", proc.stderr)

    def test_the_checker_rejects_a_broken_template(self):
        """The spec check can fail: unknown properties, wrong types, missing required ones."""
        if not SPEC.exists() or shutil.which("node") is None:
            self.skipTest("tests/deploy/node_modules or node is missing")
        broken = {"Resources": {
            "Fn": {"Type": "AWS::Lambda::Function",
                   "Properties": {"Runtime": "provided.al2023", "Timeout": "soon",
                                  "Handlr": "bootstrap"}},
            "Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Ref": "Nope"}}}}}
        path = self.tmp / "broken.json"
        path.write_text(json.dumps(broken))
        proc = subprocess.run(["node", str(CHECKER), str(path)], capture_output=True, text=True,
                              timeout=120)
        self.assertEqual(proc.returncode, 1)
        errors = "\n".join(json.loads(proc.stdout)["errors"])
        self.assertIn("has no property Handlr", errors)
        self.assertIn("expected Integer", errors)
        self.assertIn("required property Code is missing", errors)
        self.assertIn("Ref to Nope", errors)


if __name__ == "__main__":
    unittest.main()
