// The AWS SDK for JavaScript v3 (@aws-sdk/client-sfn) against `autoretrain serve`, as a user
// scripts Step Functions: node sfn_client_test.mjs ENDPOINT TRIGGER_FILE PIPELINE_FILE.
// Creates the seed's trigger (TRIGGER_FILE, pointing at the pipeline) and a pipeline, starts
// the trigger, waits for it, describes, lists, reads the history (paginated, reversed),
// takes and answers an activity task, and checks that a wrong secret is refused with AWS's error. Exits 0
// when every check passed; otherwise prints what differed and exits 1. Run by
// tests/e2e/test_api_sdk_js.py, which starts the daemon.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';

import {
  CreateActivityCommand, CreateStateMachineCommand, DescribeExecutionCommand, DescribeStateMachineCommand,
  GetActivityTaskCommand, GetExecutionHistoryCommand, ListExecutionsCommand, ListStateMachinesCommand, SFNClient,
  SendTaskSuccessCommand, StartExecutionCommand, paginateGetExecutionHistory,
} from '@aws-sdk/client-sfn';

const [endpoint, triggerFile, pipelineFile] = process.argv.slice(2);
const account = 'arn:aws:states:us-east-1:123456789012';
const role = 'arn:aws:iam::123456789012:role/autoretrain-test';
const credentials = {accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret'};
const client = new SFNClient({endpoint, region: 'us-east-1', credentials, maxAttempts: 1});

async function waitForEnd(executionArn) {
  for (let i = 0; i < 300; i++) {
    const described = await client.send(new DescribeExecutionCommand({executionArn}));
    if (described.status !== 'RUNNING') return described;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${executionArn} never ended`);
}

async function main() {
  const pipeline = await client.send(new CreateStateMachineCommand({
    name: 'js-pipeline', definition: readFileSync(pipelineFile, 'utf8'), roleArn: role}));
  assert.equal(pipeline.stateMachineArn, `${account}:stateMachine:js-pipeline`);
  assert.ok(pipeline.creationDate instanceof Date, 'creationDate is a timestamp');
  const definition = readFileSync(triggerFile, 'utf8');
  const trigger = await client.send(new CreateStateMachineCommand({
    name: 'js-trigger', definition, roleArn: role}));

  const described = await client.send(
      new DescribeStateMachineCommand({stateMachineArn: trigger.stateMachineArn}));
  assert.equal(described.definition, definition);
  assert.equal(described.status, 'ACTIVE');
  const listed = await client.send(new ListStateMachinesCommand({}));
  assert.ok(listed.stateMachines.some((m) => m.name === 'js-trigger'));

  const started = await client.send(new StartExecutionCommand({
    stateMachineArn: trigger.stateMachineArn, name: 'js-run-1', input: '{"from": "js"}'}));
  assert.equal(started.executionArn, `${account}:execution:js-trigger:js-run-1`);
  assert.ok(started.startDate instanceof Date);
  const done = await waitForEnd(started.executionArn);
  assert.equal(done.status, 'SUCCEEDED', JSON.stringify(done));
  const child = JSON.parse(done.output).ExecutionArn;
  assert.ok(child.startsWith(`${account}:execution:js-pipeline:`), child);
  assert.equal((await waitForEnd(child)).status, 'SUCCEEDED');

  const succeeded = await client.send(new ListExecutionsCommand({
    stateMachineArn: trigger.stateMachineArn, statusFilter: 'SUCCEEDED'}));
  assert.deepEqual(succeeded.executions.map((e) => e.name), ['js-run-1']);

  const history = await client.send(
      new GetExecutionHistoryCommand({executionArn: started.executionArn}));
  const types = history.events.map((e) => e.type);
  assert.equal(types[0], 'ExecutionStarted');
  assert.equal(types.at(-1), 'ExecutionSucceeded');
  assert.ok(history.events[0].timestamp instanceof Date);
  // Pages of 2, newest first, give the same events reversed.
  const paged = [];
  for await (const page of paginateGetExecutionHistory(
      {client, pageSize: 2}, {executionArn: started.executionArn, reverseOrder: true})) {
    assert.ok(page.events.length <= 2);
    paged.push(...page.events.map((e) => e.id));
  }
  assert.deepEqual(paged, history.events.map((e) => e.id).reverse());

  // An activity task, taken by a worker with GetActivityTask and answered with
  // SendTaskSuccess.
  const activity = await client.send(new CreateActivityCommand({name: 'js-approvals'}));
  const callback = await client.send(new CreateStateMachineCommand({
    name: 'js-callback', roleArn: role, definition: JSON.stringify({
      StartAt: 'Approve', States: {Approve: {
        Type: 'Task', Resource: activity.activityArn, End: true}}})}));
  const waiting = await client.send(new StartExecutionCommand({
    stateMachineArn: callback.stateMachineArn, name: 'js-wait', input: '{"model": "m"}'}));
  const task = await client.send(new GetActivityTaskCommand({
    activityArn: activity.activityArn, workerName: 'js-worker'}));
  assert.deepEqual(JSON.parse(task.input), {model: 'm'});
  const token = task.taskToken;
  await client.send(new SendTaskSuccessCommand({taskToken: token, output: '{"approved": true}'}));
  const answered = await waitForEnd(waiting.executionArn);
  assert.equal(answered.status, 'SUCCEEDED', JSON.stringify(answered));
  assert.deepEqual(JSON.parse(answered.output), {approved: true});

  // A wrong secret: the SDK surfaces AWS's error type.
  const wrong = new SFNClient({endpoint, region: 'us-east-1', maxAttempts: 1,
    credentials: {accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-the-secret'}});
  await assert.rejects(wrong.send(new ListStateMachinesCommand({})),
      (error) => error.name === 'InvalidSignatureException' &&
          error.$metadata.httpStatusCode === 400);
  console.log(JSON.stringify({ok: true, events: types.length}));
}

main().catch((error) => {
  console.error(error.stack || String(error));
  process.exit(1);
});
