#!/usr/bin/env node
// The HTTP reference peer of bench/api_load.sh: a tiny node:http server that answers AWS JSON 1.0
// StartExecution (X-Amz-Target AWSStepFunctions.StartExecution) by running the seed trigger with
// aws-local-stepfunctions 3.0.0, in memory. aws-local-stepfunctions has no HTTP API of its own;
// this wrapper is ours, and it is deliberately thin:
//   - it does NO SigV4 verification (the Authorization header is ignored), and keeps nothing on
//     disk: executions live in a Map of names, for the name-uniqueness check only;
//   - each start runs the seed trigger (/work/shared/seed/retraining_trigger.asl.json) with the
//     same task overrides as bench.mjs: ReadRetrainingDecision reads the decision CSV from a local
//     file and returns the lambda:invoke envelope; TriggerTrainingPipeline really runs a one-Pass
//     child machine (as autoretrain's bench project does) and returns {ExecutionArn, StartDate};
//   - it answers {executionArn, startDate} as soon as the execution is started (before it ends),
//     as StartExecution does.
// Usage: node api_server.mjs --decision-file PATH [--port 0] [--seed PATH]
// Prints {"api": "http://127.0.0.1:PORT"} on stdout once listening; GET /counts answers the
// executions started, succeeded and failed ({parents, children}); stops on SIGTERM.

import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';

const ACCOUNT = 'arn:aws:states:us-east-1:123456789012';
const TRIGGER_ARN = `${ACCOUNT}:stateMachine:creditcard-auto-retraining-trigger`;
const PIPELINE_ARN = `${ACCOUNT}:stateMachine:creditcard-training-pipeline`;

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}
const decisionFile = option('--decision-file', '');
if (!decisionFile) throw new Error('--decision-file is required');
const seed = option('--seed', '/work/shared/seed/retraining_trigger.asl.json');

const trigger = new StateMachine(JSON.parse(
  readFileSync(seed, 'utf8').replaceAll('PASTE_YOUR_MAIN_PIPELINE_ARN_HERE', PIPELINE_ARN)));
const pipeline = new StateMachine({ StartAt: 'Train', States: { Train: { Type: 'Pass', End: true } } });

const executions = new Map();  // execution name -> ARN
// Executions of the trigger (parents) and of the pipeline (children), for GET /counts.
const counts = { parents: { started: 0, succeeded: 0, failed: 0 },
                 children: { started: 0, succeeded: 0, failed: 0 } };

function track(result, count) {
  count.started += 1;
  result.then(() => { count.succeeded += 1; }, () => { count.failed += 1; });
}

const runOptions = {
  overrides: {
    taskResourceLocalHandlers: {
      ReadRetrainingDecision: async () => {
        const rows = readFileSync(decisionFile, 'utf8').split(/\r?\n/).map((l) => l.split(','));
        return {
          ExecutedVersion: '$LATEST',
          Payload: { retraining_required: rows[1][0].trim().toUpperCase() },
          SdkHttpMetadata: { HttpStatusCode: 200 },
          SdkResponseMetadata: { RequestId: randomUUID() },
          StatusCode: 200,
        };
      },
      TriggerTrainingPipeline: async (input) => {
        track(pipeline.run(input.Input ?? {}).result, counts.children);
        const arn = `${ACCOUNT}:execution:creditcard-training-pipeline:${randomUUID()}`;
        return { ExecutionArn: arn, StartDate: new Date().toISOString() };
      },
    },
  },
};

function answer(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function startExecution(request) {
  if (request.stateMachineArn !== TRIGGER_ARN) {
    return [400, { __type: 'com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist', message: request.stateMachineArn }];
  }
  const name = request.name ?? randomUUID();
  if (executions.has(name)) {
    return [400, { __type: 'com.amazonaws.swf.service.v2.model#ExecutionAlreadyExists', message: name }];
  }
  const arn = `${ACCOUNT}:execution:creditcard-auto-retraining-trigger:${name}`;
  executions.set(name, arn);
  track(trigger.run(request.input ? JSON.parse(request.input) : {}, runOptions).result,
        counts.parents);
  return [200, { executionArn: arn, startDate: Date.now() / 1000 }];
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/counts') return answer(res, 200, counts);
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    if (req.headers['x-amz-target'] !== 'AWSStepFunctions.StartExecution') {
      return answer(res, 400, { __type: 'UnknownOperationException', message: 'StartExecution only' });
    }
    try {
      const [status, body] = startExecution(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      answer(res, status, body);
    } catch (error) {
      answer(res, 400, { __type: 'SerializationException', message: String(error) });
    }
  });
});
server.keepAliveTimeout = 60000;
server.listen(Number(option('--port', '0')), '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ api: `http://127.0.0.1:${server.address().port}` }) + '\n');
});
process.on('SIGTERM', () => process.exit(0));
