"""End-to-end: the seed's trigger runs here and starts its pipeline on a remote Step Functions
endpoint, chosen by autoretrain.json's integrations.states.

The "remote" is a second project served by `autoretrain serve` (the AWS Step Functions API) on
127.0.0.1; the local project names the pipeline's ARN in integrations.states.remote_resources
and points endpoint_url at it. `check` then starts the pipeline there (SigV4-signed
StartExecution with the default credential chain), and the remote project records and runs it.
"""

import json

from api_support import ApiTestCase, client_env
from test_cli_support import PIPELINE_ARN, autoretrain


class RemotePipelineTest(ApiTestCase):
    def test_check_starts_the_pipeline_on_the_remote_endpoint(self):
        remote = self.init_project("remote", fast_pipeline=True)
        self.start_api(remote)
        local = self.init_project("local")
        path = local / "autoretrain.json"
        config = json.loads(path.read_text())
        config["integrations"] = {"states": {"remote_resources": [PIPELINE_ARN],
                                             "endpoint_url": self.endpoint}}
        path.write_text(json.dumps(config))

        proc = autoretrain("check", "--project", local, "--json", env=client_env())
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        report = json.loads(proc.stdout)
        self.assertEqual(report["decision"], "YES")
        # The seed's last state returns startExecution's result: the remote execution's ARN.
        started_arn = json.loads(report["trigger"]["output"])["ExecutionArn"]
        # The execution the trigger started lives in the remote project, not here.
        remote_list = json.loads(autoretrain("executions", "list", "--project", remote,
                                             "--json").stdout)["executions"]
        pipelines = [e for e in remote_list if e["stateMachineArn"] == PIPELINE_ARN]
        self.assertEqual(len(pipelines), 1, remote_list)
        self.assertEqual(pipelines[0]["executionArn"], started_arn)
        local_list = json.loads(autoretrain("executions", "list", "--project", local,
                                            "--json").stdout)["executions"]
        self.assertEqual([e for e in local_list if e["stateMachineArn"] == PIPELINE_ARN], [])

    def test_an_unreachable_remote_fails_the_trigger_with_a_named_error(self):
        local = self.init_project("local")
        path = local / "autoretrain.json"
        config = json.loads(path.read_text())
        config["integrations"] = {"states": {"backend": "remote",
                                             "endpoint_url": "http://127.0.0.1:9"}}
        path.write_text(json.dumps(config))
        proc = autoretrain("run", "creditcard-auto-retraining-trigger", "--project", local,
                           "--json", env=client_env())
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        result = json.loads(proc.stdout)
        self.assertEqual(result["error"], "StepFunctions.SdkClientException", result)


if __name__ == "__main__":
    import unittest
    unittest.main()
