// Generates cases.json: randomized valid EventBridge Scheduler cron expressions and their next
// fire times (UTC) according to the npm package aws-cron-parser, an implementation of AWS cron
// semantics independent of autoretrain. src/scheduler/agreement_test.cc checks that
// autoretrain's NextFireTimes agrees on every case.
//
// Also writes disagreements.json: hand-picked expressions where aws-cron-parser departs from
// AWS's documentation. Their expected fire times come from a brute-force minute scan of the
// documented semantics (below), and the parser's answer is recorded beside them.
//
// Deterministic: a fixed seed, fixed start instants. Run: npm ci && node generate.mjs
process.env.TZ = 'UTC';  // aws-cron-parser builds some dates with the local-time Date API.

import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const awsCron = require('aws-cron-parser');
const here = dirname(fileURLToPath(import.meta.url));

if (new Date(2024, 0, 1).getTimezoneOffset() !== 0) throw new Error('TZ=UTC did not apply');

const N = Number(process.env.N || 3000);
const NEXT = 5;
const SEED = 20261126;

// mulberry32
let state = SEED >>> 0;
function rand() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const randInt = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = (a) => a[Math.floor(rand() * a.length)];
const chance = (p) => rand() < p;

const AFTER = [
  '2024-01-01T00:00:00Z',
  '2024-02-28T23:59:30Z',
  '2024-12-31T23:59:00Z',
  '2025-06-15T12:34:56Z',
  '2026-03-08T01:59:59Z',
  '2026-11-26T07:53:00Z',
  '2027-02-28T12:00:00Z',
  '2028-02-29T00:00:00Z',
  '2030-09-30T23:30:00Z',
];

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const LONG_MONTHS = [1, 3, 5, 7, 8, 10, 12];

function nameCase(s) {
  const r = rand();
  return r < 0.7 ? s : r < 0.85 ? s.toLowerCase() : s[0] + s.slice(1).toLowerCase();
}

// A sorted list of disjoint values and ranges in [lo, hi] (aws-cron-parser needs ascending
// order; see disagreements.json for an unsorted list). `name` renders a number.
function listField(lo, hi, name) {
  const count = Math.min(randInt(2, 4), Math.floor((hi - lo + 1) / 2));
  const points = new Set();
  while (points.size < count * 2) points.add(randInt(lo, hi));
  const sorted = [...points].sort((a, b) => a - b);
  const parts = [];
  for (let i = 0; i + 1 < sorted.length; i += 2) {
    if (chance(0.35)) {
      parts.push(`${name(sorted[i])}-${name(sorted[i + 1])}`);
    } else {
      parts.push(name(sorted[i]));
      if (chance(0.5)) parts.push(name(sorted[i + 1]));
    }
  }
  return parts.join(',');
}

function stepField(lo, hi) {
  const span = hi - lo + 1;
  const step = randInt(1, Math.min(span, chance(0.7) ? Math.max(2, Math.floor(span / 2)) : span));
  const r = rand();
  if (r < 0.35) return `*/${step}`;
  const a = randInt(lo, hi);
  if (r < 0.7) return `${a}/${step}`;
  const b = randInt(a, hi);
  return `${a}-${b}/${step}`;
}

// A numeric field (minutes, hours, years; month and day-of-month without names).
function numericField(lo, hi, name = String) {
  const r = rand();
  if (r < 0.15) return '*';
  if (r < 0.4) return name(randInt(lo, hi));
  if (r < 0.65) return listField(lo, hi, name);
  if (r < 0.8) {
    const a = randInt(lo, hi);
    return `${name(a)}-${name(randInt(a, hi))}`;
  }
  return stepField(lo, hi);
}

function monthName(m) {
  return chance(0.4) ? nameCase(MONTHS[m - 1]) : String(m);
}

function monthField(longOnly) {
  if (longOnly) {
    // Day-of-month values past 28: only months that have them (see disagreements.json).
    const r = rand();
    if (r < 0.3) return monthName(pick(LONG_MONTHS));
    const chosen = LONG_MONTHS.filter(() => chance(0.5));
    if (chosen.length === 0) chosen.push(pick(LONG_MONTHS));
    return chosen.map(monthName).join(',');
  }
  const r = rand();
  if (r < 0.45) return '*';
  if (r < 0.85) return numericField(1, 12, monthName).replace(/^\*$/, '*');
  return stepField(1, 12);
}

// Day-of-month; returns [text, needsLongMonths].
function dayOfMonthField() {
  const r = rand();
  if (r < 0.2) return ['*', false];
  if (r < 0.3) return ['L', false];
  if (r < 0.42) {
    const n = randInt(1, 31);
    return [`${n}W`, n > 28];
  }
  let text;
  if (r < 0.62) text = String(randInt(1, 31));
  else if (r < 0.8) text = listField(1, 31, String);
  else if (r < 0.9) {
    const a = randInt(1, 31);
    text = `${a}-${randInt(a, 31)}`;
  } else text = stepField(1, 31);
  const values = expand(text, 1, 31);
  return [text, Math.max(...values) > 28];
}

function dayName(d) {
  return chance(0.45) ? nameCase(DAYS[d - 1]) : String(d);
}

function dayOfWeekField() {
  const r = rand();
  if (r < 0.15) return '*';
  if (r < 0.35) return dayName(randInt(1, 7));
  if (r < 0.55) return listField(1, 7, dayName);
  if (r < 0.7) {
    const a = randInt(1, 7);
    return `${dayName(a)}-${dayName(randInt(a, 7))}`;
  }
  if (r < 0.85) return `${chance(0.5) ? nameCase(DAYS[randInt(0, 6)]) : randInt(1, 7)}L`;
  return `${chance(0.5) ? nameCase(DAYS[randInt(0, 6)]) : randInt(1, 7)}#${randInt(1, 5)}`;
}

function yearField() {
  const r = rand();
  if (r < 0.55) return '*';
  if (r < 0.65) return String(randInt(2024, 2032));
  if (r < 0.8) {
    const a = randInt(2020, 2030);
    return `${a}-${randInt(Math.max(a, 2025), 2040)}`;
  }
  if (r < 0.9) return listField(2023, 2035, String);
  return `${randInt(2020, 2030)}/${randInt(1, 4)}`;
}

// The values a plain field (no L, W, #) selects; used only to decide which months to allow.
function expand(text, lo, hi) {
  const out = [];
  for (const part of text.split(',')) {
    let [range, step] = part.split('/');
    step = step ? Number(step) : 1;
    let a, b;
    if (range === '*') [a, b] = [lo, hi];
    else if (range.includes('-')) [a, b] = range.split('-').map(Number);
    else [a, b] = [Number(range), part.includes('/') ? hi : Number(range)];
    for (let v = a; v <= b; v += step) out.push(v);
  }
  return out;
}

function randomExpression() {
  const minutes = numericField(0, 59);
  const hours = numericField(0, 23);
  const year = yearField();
  if (chance(0.5)) {
    const [dom, longOnly] = dayOfMonthField();
    return `cron(${minutes} ${hours} ${dom} ${monthField(longOnly)} ? ${year})`;
  }
  return `cron(${minutes} ${hours} ? ${monthField(false)} ${dayOfWeekField()} ${year})`;
}

function parserNext(expression, after, n) {
  const parsed = awsCron.parse(expression.slice(5, -1));
  const out = [];
  let t = new Date(after);
  for (let i = 0; i < n; i++) {
    t = awsCron.next(parsed, t);
    if (!t) break;
    out.push(t.toISOString());
  }
  return out;
}

// --- the documented semantics, by brute force (for disagreements.json only) -------------------

const daysIn = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const weekday = (y, m, d) => new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1;  // 1 = SUN

// Every name, every time (aws-cron-parser replaces only a name's first occurrence).
function allNamesToNumbers(field) {
  let f = field.toUpperCase();
  MONTHS.forEach((n, i) => (f = f.replaceAll(n, String(i + 1))));
  DAYS.forEach((n, i) => (f = f.replaceAll(n, String(i + 1))));
  return f;
}

// Whether a field names one month or day twice ("FRI-FRI"): aws-cron-parser reads only the
// first (see disagreements.json), so the random cases avoid it.
function repeatsAName(expression) {
  const upper = expression.toUpperCase();
  return [...MONTHS, ...DAYS].some((n) => upper.split(n).length > 2);
}

function docMatches(fields, t) {
  const [mi, h, dom, mo, dow, yr] = fields.map(allNamesToNumbers);
  const y = t.getUTCFullYear(), m = t.getUTCMonth() + 1, d = t.getUTCDate();
  const last = daysIn(y, m);
  const plain = (f, v, lo, hi) => expand(f, lo, hi).includes(v);
  if (!plain(mi, t.getUTCMinutes(), 0, 59) || !plain(h, t.getUTCHours(), 0, 23)) return false;
  if (!plain(mo, m, 1, 12) || !plain(yr, y, 1970, 2199)) return false;
  if (dom !== '?') {
    if (dom === 'L') return d === last;
    if (dom === 'LW') {
      let w = last;
      while (weekday(y, m, w) === 1 || weekday(y, m, w) === 7) w--;
      return d === w;
    }
    return plain(dom, d, 1, 31);
  }
  if (dow === 'L') return weekday(y, m, d) === 7;  // "the last day of the week"
  return plain(dow, weekday(y, m, d), 1, 7);
}

function docNext(expression, after, n) {
  const fields = expression.slice(5, -1).split(' ');
  const out = [];
  let ms = (Math.floor(Date.parse(after) / 60000) + 1) * 60000;
  const limit = ms + 3 * 366 * 86400000;
  for (; ms < limit && out.length < n; ms += 60000) {
    if (docMatches(fields, new Date(ms))) out.push(new Date(ms).toISOString());
  }
  return out;
}

function parserAnswer(expression, after, n) {
  try {
    return parserNext(expression, after, n);
  } catch (e) {
    return `error: ${e.message}`;
  }
}

const KNOWN = [
  {
    expression: 'cron(0 12 LW * ? *)',
    after: '2024-01-01T00:00:00Z',
    aws_doc_fact:
      'Day-of-month allows the wildcards , - * ? / L W (EventBridge "Cron expressions ' +
      'reference"); L is the last day of the month and W the nearest weekday, so LW is the ' +
      "month's last weekday. aws-cron-parser reads LW as nW with n = parseInt('L') (NaN).",
  },
  {
    expression: 'cron(30 6 ? * L *)',
    after: '2024-01-01T00:00:00Z',
    aws_doc_fact:
      '"The L wildcard in the Day-of-month or Day-of-week fields specifies the last day of the ' +
      'month or week" (EventBridge "Cron expressions reference"): L alone in day-of-week is the ' +
      'last day of the week, Saturday (7). aws-cron-parser matches no day and gives up.',
  },
  {
    expression: 'cron(0 0 15,31 * ? *)',
    after: '2024-04-20T00:00:00Z',
    aws_doc_fact:
      'Day-of-month values are days of the month (1-31); a month without day 31 has no such ' +
      'day. aws-cron-parser builds Date.UTC(2024, 3, 31), which rolls over to 1 May, and fires ' +
      'on a day the expression does not name.',
  },
  {
    expression: 'cron(0 0 30 * ? *)',
    after: '2024-02-01T00:00:00Z',
    aws_doc_fact:
      'February has no 30th, so the next fire time is 30 March; aws-cron-parser rolls ' +
      'Date.UTC(2024, 1, 30) over to 1 March.',
  },
  {
    expression: 'cron(0 0 20,10 * ? *)',
    after: '2024-01-05T00:00:00Z',
    aws_doc_fact:
      'The , wildcard "includes additional values" (EventBridge "Cron expressions reference"): ' +
      'a list is a set, in any order. aws-cron-parser takes the first listed value at or after ' +
      'the current day, so it skips the 10th when 20 is listed first.',
  },
  {
    expression: 'cron(34 17 ? 8 FRI-FRI 2027)',
    after: '2027-02-28T12:00:00Z',
    aws_doc_fact:
      'Day-of-week takes 1-7 or SUN-SAT and the - wildcard "specifies ranges" (EventBridge ' +
      '"Cron expressions reference"), so FRI-FRI is Fridays. aws-cron-parser replaces only ' +
      "the first occurrence of each name (String.replace), reads '6-FRI', and matches no day.",
  },
];

// --- main ------------------------------------------------------------------------------------

const cases = [];
const seen = new Set();
let parserErrors = 0;
while (cases.length < N) {
  const expression = randomExpression();
  const after = pick(AFTER);
  if (seen.has(expression + after) || repeatsAName(expression)) continue;
  seen.add(expression + after);
  let next;
  try {
    next = parserNext(expression, after, NEXT);
  } catch (e) {
    parserErrors++;  // e.g. "iter > 10" on sparse schedules: no answer to compare with
    continue;
  }
  cases.push({ expression, after, next });
}

const lines = cases.map((c) => JSON.stringify(c));
writeFileSync(join(here, 'cases.json'), `[\n${lines.join(',\n')}\n]\n`);

const disagreements = KNOWN.map((k) => ({
  expression: k.expression,
  after: k.after,
  aws_cron_parser: parserAnswer(k.expression, k.after, NEXT),
  aws_documentation: docNext(k.expression, k.after, NEXT),
  aws_doc_fact: k.aws_doc_fact,
}));
for (const d of disagreements) {
  if (JSON.stringify(d.aws_cron_parser) === JSON.stringify(d.aws_documentation)) {
    throw new Error(`${d.expression}: aws-cron-parser agrees with the documentation now`);
  }
}
writeFileSync(join(here, 'disagreements.json'), JSON.stringify(disagreements, null, 2) + '\n');

const counts = { cases: cases.length, parserErrorsSkipped: parserErrors, disagreements: KNOWN.length };
console.log(JSON.stringify(counts));
