"""End-to-end tests of Step Functions resource tags over the HTTP API of `autoretrain serve`
(docs/api.md): boto3 tags, lists, replaces and untags state machines and activities, tags given
at creation are stored, more than 50 tags are TooManyTags, an unknown ARN is ResourceNotFound,
deleting a resource deletes its tags, and tags survive a restart of the daemon (SIGKILL)."""

import json
import os
import signal

from api_support import ACCOUNT_ARN, ROLE_ARN, ApiTestCase

PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})


def machine_arn(name):
    return f"{ACCOUNT_ARN}:stateMachine:{name}"


def activity_arn(name):
    return f"{ACCOUNT_ARN}:activity:{name}"


def tag_list(count, prefix="k"):
    return [{"key": f"{prefix}{i}", "value": f"v{i}"} for i in range(count)]


class TagsApiTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.project = self.init_project(fast_pipeline=True)
        self.start_api(self.project)

    def tags(self, arn):
        listed = self.boto_ok("list_tags_for_resource", resourceArn=arn)
        return {tag["key"]: tag["value"] for tag in listed["tags"]}

    def test_tag_list_replace_and_untag(self):
        self.boto_ok("create_state_machine", name="tagged", definition=PASS, roleArn=ROLE_ARN)
        arn = machine_arn("tagged")
        self.assertEqual(self.boto_ok("list_tags_for_resource", resourceArn=arn), {"tags": []})
        self.assertEqual(self.boto_ok("tag_resource", resourceArn=arn,
                                      tags=[{"key": "team", "value": "ml"},
                                            {"key": "env", "value": "dev"}]), {})
        listed = self.boto_ok("list_tags_for_resource", resourceArn=arn)
        self.assertEqual(listed["tags"], [{"key": "env", "value": "dev"},
                                          {"key": "team", "value": "ml"}])
        # An existing key gets the new value.
        self.boto_ok("tag_resource", resourceArn=arn, tags=[{"key": "env", "value": "prod"}])
        self.assertEqual(self.tags(arn), {"env": "prod", "team": "ml"})
        self.assertEqual(self.boto_ok("untag_resource", resourceArn=arn,
                                      tagKeys=["env", "not-there"]), {})
        self.assertEqual(self.tags(arn), {"team": "ml"})

        # The project's own state machines (autoretrain.json) are taggable too.
        listed = self.boto_ok("list_state_machines")["stateMachines"]
        project_arn = next(m["stateMachineArn"] for m in listed if m["name"] != "tagged")
        self.boto_ok("tag_resource", resourceArn=project_arn, tags=[{"key": "p", "value": "1"}])
        self.assertEqual(self.tags(project_arn), {"p": "1"})

        # The same for an activity.
        self.boto_ok("create_activity", name="worker")
        self.boto_ok("tag_resource", resourceArn=activity_arn("worker"),
                     tags=[{"key": "owner", "value": "me"}])
        self.assertEqual(self.tags(activity_arn("worker")), {"owner": "me"})

    def test_limits_and_errors(self):
        self.boto_ok("create_state_machine", name="full", definition=PASS, roleArn=ROLE_ARN)
        arn = machine_arn("full")
        self.boto_ok("tag_resource", resourceArn=arn, tags=tag_list(50))
        results = self.boto(
            {"op": "tag_resource",
             "params": {"resourceArn": arn, "tags": [{"key": "k50", "value": "v"}]}},
            {"op": "tag_resource", "params": {"resourceArn": machine_arn("nope"),
                                              "tags": [{"key": "k", "value": "v"}]}},
            {"op": "list_tags_for_resource", "params": {"resourceArn": activity_arn("nope")}},
            {"op": "untag_resource",
             "params": {"resourceArn": machine_arn("nope"), "tagKeys": ["k"]}},
            {"op": "list_tags_for_resource", "params": {"resourceArn": "arn:aws:s3:::bucket"}},
            {"op": "tag_resource",
             "params": {"resourceArn": arn, "tags": [{"key": "aws:mine", "value": "v"}]}},
            {"op": "tag_resource",
             "params": {"resourceArn": arn, "tags": [{"key": "bad*key", "value": "v"}]}},
            {"op": "create_state_machine",
             "params": {"name": "too-many", "definition": PASS, "roleArn": ROLE_ARN,
                        "tags": tag_list(51)}},
            {"op": "create_activity", "params": {"name": "too-many", "tags": tag_list(51)}})
        self.assertEqual(results[0]["exception"], "TooManyTags")
        self.assertIn(arn, results[0]["message"])
        self.assertEqual(results[0]["status"], 400)
        for result in results[1:4]:
            self.assertEqual(result["exception"], "ResourceNotFound", result)
        self.assertEqual(results[4]["exception"], "InvalidArn")
        self.assertEqual(results[5]["error"], "ValidationException")
        self.assertIn("aws:", results[5]["message"])
        self.assertEqual(results[6]["error"], "ValidationException")
        self.assertIn("tags.1.member.key", results[6]["message"])
        self.assertEqual(results[7]["exception"], "TooManyTags")
        self.assertEqual(results[8]["exception"], "TooManyTags")
        # Nothing of the refused calls was kept.
        self.assertEqual(len(self.tags(arn)), 50)
        self.assertEqual(self.tags(arn)["k0"], "v0")
        missing = self.boto({"op": "describe_state_machine",
                             "params": {"stateMachineArn": machine_arn("too-many")}})
        self.assertEqual(missing[0]["exception"], "StateMachineDoesNotExist")

    def test_tags_at_creation_deletion_and_restart(self):
        self.boto_ok("create_state_machine", name="born-tagged", definition=PASS,
                     roleArn=ROLE_ARN, tags=[{"key": "team", "value": "ml"}])
        self.boto_ok("create_activity", name="born-tagged",
                     tags=[{"key": "owner", "value": "me"}])
        self.boto_ok("create_state_machine", name="doomed", definition=PASS, roleArn=ROLE_ARN,
                     tags=[{"key": "short", "value": "lived"}])
        self.assertEqual(self.tags(machine_arn("born-tagged")), {"team": "ml"})
        self.assertEqual(self.tags(activity_arn("born-tagged")), {"owner": "me"})
        self.assertEqual(self.tags(machine_arn("doomed")), {"short": "lived"})

        # Tags are in the project's store: they survive SIGKILL and a restart.
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.start_api(self.project)
        self.assertEqual(self.tags(machine_arn("born-tagged")), {"team": "ml"})
        self.assertEqual(self.tags(activity_arn("born-tagged")), {"owner": "me"})

        # Deleting a resource deletes its tags: created again, it has none.
        self.boto_ok("delete_state_machine", stateMachineArn=machine_arn("doomed"))
        self.boto_ok("delete_activity", activityArn=activity_arn("born-tagged"))
        gone = self.boto({"op": "list_tags_for_resource",
                          "params": {"resourceArn": machine_arn("doomed")}})
        self.assertEqual(gone[0]["exception"], "ResourceNotFound")
        self.boto_ok("create_state_machine", name="doomed", definition=PASS, roleArn=ROLE_ARN)
        self.boto_ok("create_activity", name="born-tagged")
        self.assertEqual(self.tags(machine_arn("doomed")), {})
        self.assertEqual(self.tags(activity_arn("born-tagged")), {})
