"""End-to-end test of `autoretrain serve` driven by the AWS SDK for JavaScript v3
(@aws-sdk/client-sfn, installed from tests/sdk-js/package-lock.json by
scripts/install-test-servers.sh): tests/sdk-js/sfn_client_test.mjs creates the seed's trigger
and a pipeline, starts, waits, describes, lists, pages the history, takes and answers an
activity task and sees a wrongly signed request refused, against a daemon this test starts with
SigV4 authentication on a free loopback port."""

import json
import os
import shutil
import subprocess
import unittest

from api_support import ApiTestCase
from test_cli_support import FAST_PIPELINE, SEED_DIR, SOURCE_DIR

SDK_DIR = SOURCE_DIR / "tests" / "sdk-js"
PIPELINE_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:js-pipeline"


class JavaScriptSdkTest(ApiTestCase):
    def test_the_sfn_client_drives_the_seed_through_the_api(self):
        missing = [name for name, ok in (
            ("node", shutil.which("node")),
            ("tests/sdk-js/node_modules", (SDK_DIR / "node_modules" / "@aws-sdk").is_dir()))
            if not ok]
        if missing:
            message = "the JavaScript SDK test needs " + ", ".join(missing)
            if os.environ.get("CI"):
                self.fail(message)
            raise unittest.SkipTest(message)
        project = self.init_project(fast_pipeline=True)
        credentials = self.tmp / "api-credentials"
        credentials.write_text("[default]\naws_access_key_id = AKIDEXAMPLE\n"
                               "aws_secret_access_key = secret\n")
        self.proc = self.serve(project, "--credentials-file", str(credentials))
        endpoint = self.wait_for_event(self.proc, "started")[0]["api"]
        trigger = self.tmp / "trigger.asl.json"
        trigger.write_text((SEED_DIR / "retraining_trigger.asl.json").read_text().replace(
            "PASTE_YOUR_MAIN_PIPELINE_ARN_HERE", PIPELINE_ARN))
        pipeline = self.tmp / "pipeline.asl.json"
        pipeline.write_text(json.dumps(FAST_PIPELINE))
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        proc = subprocess.run(
            ["node", str(SDK_DIR / "sfn_client_test.mjs"), endpoint, str(trigger), str(pipeline)],
            cwd=SDK_DIR, env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(proc.returncode, 0,
                         f"{proc.stdout}\n{proc.stderr}\n{self.log_events(self.proc)}")
        self.assertTrue(json.loads(proc.stdout.splitlines()[-1])["ok"])


if __name__ == "__main__":
    unittest.main()
