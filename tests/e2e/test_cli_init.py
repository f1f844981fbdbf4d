"""End-to-end tests of `autoretrain init` (and the CLI's global flags)."""

import json
import unittest

from test_cli_support import (BUCKET, DECISION_KEY, PIPELINE_ARN, SEED_DIR, TempDirTestCase,
                              autoretrain)


class InitTest(TempDirTestCase):
    def test_writes_the_starter_project(self):
        project = self.tmp / "new" / "project"
        proc = self.run_ok("init", project)
        for rel in ["autoretrain.json", "state_machines/retraining_trigger.asl.json",
                    "state_machines/training_pipeline.asl.json", "functions/prepare_data.py",
                    f"buckets/{BUCKET}/{DECISION_KEY}", f"buckets/{BUCKET}/data/transactions.csv"]:
            self.assertTrue((project / rel).is_file(), rel)
            self.assertIn(rel, proc.stdout)
        self.assertIn(f"autoretrain check --project {project}", proc.stdout)
        config = json.loads((project / "autoretrain.json").read_text())
        self.assertEqual(config["check"]["state_machine"], "creditcard-auto-retraining-trigger")
        decision = (project / "buckets" / BUCKET / DECISION_KEY).read_text()
        self.assertEqual(decision.splitlines()[1], "YES")

    def test_trigger_is_the_seed_with_only_the_pipeline_arn_filled_in(self):
        seed_file = SEED_DIR / "retraining_trigger.asl.json"
        if not seed_file.is_file():
            self.skipTest(f"the seed is not at {seed_file}")
        project = self.init_project()
        seed = seed_file.read_bytes()
        written = (project / "state_machines" / "retraining_trigger.asl.json").read_bytes()
        self.assertEqual(seed.count(b"PASTE_YOUR_MAIN_PIPELINE_ARN_HERE"), 1)
        self.assertEqual(written,
                         seed.replace(b"PASTE_YOUR_MAIN_PIPELINE_ARN_HERE", PIPELINE_ARN.encode()))

    def test_refuses_to_overwrite_without_force(self):
        project = self.init_project()
        config = project / "autoretrain.json"
        config.write_text("{}")
        proc = autoretrain("init", project)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("already exists", proc.stderr)
        self.assertIn("--force", proc.stderr)
        self.assertEqual(config.read_text(), "{}")  # nothing was written

        self.run_ok("init", project, "--force")
        self.assertIn("check", json.loads(config.read_text()))

    def test_names_the_existing_file(self):
        project = self.tmp / "p"
        (project / "state_machines").mkdir(parents=True)
        (project / "state_machines" / "training_pipeline.asl.json").write_text("mine")
        proc = autoretrain("init", project)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("training_pipeline.asl.json", proc.stderr)
        self.assertFalse((project / "autoretrain.json").exists())

    def test_target_is_a_file(self):
        target = self.tmp / "file"
        target.write_text("x")
        proc = autoretrain("init", target)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("not a directory", proc.stderr)


class GlobalFlagsTest(TempDirTestCase):
    def test_version(self):
        proc = self.run_ok("--version")
        self.assertRegex(proc.stdout, r"autoretrain \d+\.\d+\.\d+")

    def test_help_lists_the_commands(self):
        proc = self.run_ok("--help")
        for command in ["init", "run", "check"]:
            self.assertIn(command, proc.stdout)
        for command in ["init", "run", "check"]:
            sub = self.run_ok(command, "--help")
            self.assertIn("--help", sub.stdout)
        self.assertIn("--input-file", self.run_ok("run", "--help").stdout)
        self.assertIn("--force", self.run_ok("init", "--help").stdout)
        self.assertIn("--project", self.run_ok("check", "--help").stdout)

    def test_unknown_command(self):
        proc = autoretrain("chek")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("unknown command 'chek'", proc.stderr)
        self.assertIn("--help", proc.stderr)

    def test_unknown_flag(self):
        proc = autoretrain("check", "--jsn")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("--jsn", proc.stderr)
        self.assertIn("autoretrain check --help", proc.stderr)

    def test_unknown_global_option(self):
        proc = autoretrain("--bogus")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("unknown option '--bogus'", proc.stderr)

    def test_no_command(self):
        proc = autoretrain()
        self.assertEqual(proc.returncode, 2)
        self.assertIn("--help", proc.stderr)


if __name__ == "__main__":
    unittest.main()
