// The pass/fail verdict of a run, decided once, as data: one check per configured limit, each
// with its limit and what the run showed; the reasons a reviewer reads are rendered from them.
import type { CommandResult, Gate, GateCheck, GateConfig, Split, TimelinePoint, Totals } from '../types.js';

/** A target whose final seconds must all be one version (--expect-version, or a plan's expectVersion). */
export interface ExpectedVersion {
  /** Set when the run has several targets: the check then names it. */
  target?: string;
  expected: string;
  timeline: TimelinePoint[];
}

export interface GateInput {
  totals: Totals;
  p99Ms: number;
  expectVersions: ExpectedVersion[];
  complete: boolean;
  command?: CommandResult;
  splits: Split[];
}

/** The final window used by --expect-version: the last few seconds that saw traffic. */
export const FINAL_WINDOW_S = 5;

const pct = (x: number): string => `${(x * 100).toFixed(3)}%`;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function check(c: Omit<GateCheck, 'reason'>, reason: () => string): GateCheck {
  return c.passed ? c : { ...c, reason: reason() };
}

/** --max-failures applies unless only --max-failure-rate was given. */
const failureLimit = (g: GateConfig): number | undefined => g.maxFailures ?? (g.maxFailureRate === undefined ? 0 : undefined);

function countCheck(limit: number, t: Totals): GateCheck {
  const dropped = t.failed + t.late;
  const late = t.late ? ` (${t.late} of them not sent in time)` : '';
  return check({ id: 'max-failures', name: `at most ${limit} dropped request(s)`, passed: dropped <= limit, limit, actual: dropped },
    () => `${plural(dropped, 'request')} dropped${late}; allowed: ${limit}`);
}

function rateCheck(limit: number, t: Totals): GateCheck {
  const rate = t.scheduled > 0 ? (t.failed + t.late) / t.scheduled : 0;
  return check({ id: 'max-failure-rate', name: `failure rate at most ${pct(limit)}`, passed: rate <= limit, limit, actual: rate },
    () => `failure rate ${pct(rate)} above the allowed ${pct(limit)}`);
}

function p99Check(limit: number, p99: number): GateCheck {
  return check({ id: 'max-p99', name: `p99 latency at most ${limit} ms`, passed: p99 <= limit, limit, actual: p99 },
    () => `p99 latency ${p99} ms above the allowed ${limit} ms`);
}

function versionCheck({ target, expected, timeline }: ExpectedVersion): GateCheck {
  const final = finalVersionMix(expected, timeline);
  const of = target === undefined ? '' : `target ${target}: `;
  return check({ id: 'expect-version', ...(target === undefined ? {} : { target }), name: `${of}final traffic is 100% version ${expected}`, passed: final.passed, limit: expected, actual: final.mix },
    () => `${of}final ${final.seconds} s were not 100% version ${expected} (${final.mix})`);
}

function commandCheck(cmd: CommandResult): GateCheck {
  const actual = cmd.exitCode ?? cmd.signal ?? 'stopped';
  return check({ id: 'command', name: 'the wrapped command succeeded', passed: cmd.exitCode === 0, limit: 0, actual },
    () => (cmd.notStarted ? 'the wrapped command never started: the run ended before its warm-up was over (make --duration longer than --warmup)'
      : cmd.exitCode === null ? `the wrapped command did not finish (${cmd.signal ?? 'stopped'})` : `the wrapped command exited with code ${cmd.exitCode}`));
}

function splitsCheck(splits: Split[]): GateCheck {
  const bad = splits.filter((s) => !s.passed);
  const where = (s: Split): string => (s.target !== undefined && splits.some((x) => x.target !== s.target) ? `${s.target}: ${s.source}` : s.source);
  return check({ id: 'splits', name: 'observed traffic shares match the declared weights', passed: bad.length === 0, limit: 0, actual: bad.length },
    () => `${bad.length} of ${splits.length} traffic split window(s) did not match the declared weights (${bad.map(where).join(', ')})`);
}

export function decideGate(gate: GateConfig, input: GateInput): Gate {
  const { totals } = input;
  const maxFailures = failureLimit(gate);
  const checks: GateCheck[] = [];
  if (maxFailures !== undefined) checks.push(countCheck(maxFailures, totals));
  if (gate.maxFailureRate !== undefined) checks.push(rateCheck(gate.maxFailureRate, totals));
  if (gate.maxP99Ms !== undefined) checks.push(p99Check(gate.maxP99Ms, input.p99Ms));
  for (const v of input.expectVersions) checks.push(versionCheck(v));
  if (input.command) checks.push(commandCheck(input.command));
  checks.push(check({ id: 'scheduled', name: 'requests were scheduled', passed: totals.scheduled > 0, actual: totals.scheduled }, () => 'no request was scheduled'));
  if (!input.complete) {
    checks.push(check({ id: 'complete', name: 'the recording is complete', passed: false }, () => 'the recording is incomplete (the run was killed or is still running): it cannot prove that nothing was dropped'));
  }
  const judged = input.splits.filter((s) => s.approximate === undefined);
  if (judged.length) checks.push(splitsCheck(judged));
  const reasons = checks.flatMap((c) => (c.reason === undefined ? [] : [c.reason]));
  return { passed: reasons.length === 0, reasons, checks };
}

/** `v2.0.1` and `2.0.1` name the same version. */
export const sameVersion = (a: string, b: string): boolean => a.replace(/^v(?=\d)/i, '') === b.replace(/^v(?=\d)/i, '');

/** The version mix of the final seconds that saw traffic, and whether it was all `expected`. */
export function finalVersionMix(expected: string, timeline: TimelinePoint[]): { passed: boolean; seconds: number; mix: string } {
  const last = timeline.filter((p) => p.sent > 0).slice(-FINAL_WINDOW_S);
  const counts: Record<string, number> = {};
  let total = 0;
  for (const p of last) {
    for (const [v, n] of Object.entries(p.versions)) counts[v] = (counts[v] ?? 0) + n;
    total += p.ok;
  }
  const got = Object.entries(counts).filter(([v]) => sameVersion(v, expected)).reduce((a, [, n]) => a + n, 0);
  const mix = Object.entries(counts).map(([v, n]) => `${v} ${((n / Math.max(1, total)) * 100).toFixed(1)}%`).join(', ') || 'no tagged response';
  return { passed: total > 0 && got === total, seconds: last.length, mix };
}
