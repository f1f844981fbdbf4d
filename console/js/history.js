// What happened to each state, read from an execution's history events (AWS's shapes): its
// status (succeeded, failed, caught, running, notreached), its last input and output, and
// the child execution a startExecution task started.

const FAILURES = /(TaskFailed|TaskTimedOut|LambdaFunctionFailed|LambdaFunctionTimedOut|ActivityFailed|ActivityTimedOut|ActivityScheduleFailed|LambdaFunctionScheduleFailed|LambdaFunctionStartFailed|TaskStartFailed|TaskSubmitFailed|ParallelStateFailed|MapStateFailed|MapIterationFailed|ExecutionFailed|ExecutionTimedOut|ExecutionAborted)$/;
const SUCCESSES = /(TaskSucceeded|LambdaFunctionSucceeded|ActivitySucceeded|ParallelStateSucceeded|MapStateSucceeded)$/;

function detailsOf(event) {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith("EventDetails") && value && typeof value === "object") return value;
  }
  return {};
}

function parse(text) {
  if (typeof text !== "string") return text;
  try { return JSON.parse(text); } catch { return undefined; }
}

// {states: Map(name -> {status, input, output, error, cause, childArn}), edges: Set("a->b")}
// for `events` of an execution whose status is `executionStatus`.
export function analyse(events, executionStatus) {
  const byId = new Map(events.map((e) => [e.id, e]));
  const states = new Map();
  const entered = (name) => {
    if (!states.has(name)) states.set(name, { status: "running", failures: 0, recovered: false, exited: false });
    return states.get(name);
  };
  // The state an event belongs to: follow previousEventId back to a StateEntered event.
  const owner = (event) => {
    let e = event;
    for (let steps = 0; e && steps < 200; ++steps) {
      if (/StateEntered$/.test(e.type)) return detailsOf(e).name;
      if (/StateExited$/.test(e.type)) return null;
      e = byId.get(e.previousEventId);
    }
    return null;
  };
  const edges = new Set();
  // The state whose exit led to `event` (an entry): "#start" for a machine's or branch's first.
  const lastExitOf = (event) => {
    let e = byId.get(event.previousEventId);
    for (let steps = 0; e && steps < 200; ++steps) {
      if (/StateExited$/.test(e.type)) return detailsOf(e).name;
      if (/StateEntered$/.test(e.type)) return null;
      if (e.type === "ExecutionStarted" || /IterationStarted$|ParallelStateStarted$|MapStateStarted$/.test(e.type)) return "#start";
      e = byId.get(e.previousEventId);
    }
    return null;
  };
  for (const event of events) {
    const d = detailsOf(event);
    if (/StateEntered$/.test(event.type)) {
      const s = entered(d.name);
      s.input = d.input;
      s.exited = false;
      if (event.type === "FailStateEntered") s.status = "failed";
      const from = lastExitOf(event);
      if (from) edges.add(from + "->" + d.name);
    } else if (/StateExited$/.test(event.type)) {
      const s = entered(d.name);
      s.output = d.output;
      s.exited = true;
      if (s.status !== "failed") s.status = s.failures > 0 && !s.recovered ? "caught" : "succeeded";
    } else if (FAILURES.test(event.type) && !/^Execution/.test(event.type)) {
      const name = owner(event);
      if (name) {
        const s = entered(name);
        s.failures += 1;
        s.recovered = false;
        s.error = d.error;
        s.cause = d.cause;
      }
    } else if (SUCCESSES.test(event.type)) {
      const name = owner(event);
      if (name) {
        const s = entered(name);
        if (s.failures > 0) s.recovered = true;
        const output = parse(d.output);
        if (output && typeof output === "object" && typeof output.ExecutionArn === "string") {
          s.childArn = output.ExecutionArn;
        }
      }
    } else if (event.type === "TaskSubmitted") {
      const name = owner(event);
      const output = parse(d.output);
      if (name && output && typeof output.ExecutionArn === "string") entered(name).childArn = output.ExecutionArn;
    }
  }
  // States entered and never exited: still running, or where the execution ended.
  for (const s of states.values()) {
    if (!s.exited && s.status === "running" && executionStatus !== "RUNNING") s.status = "failed";
  }
  return { states, edges };
}

// The status class of an execution status, for badges.
export const TERMINAL = new Set(["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]);
