// The pass/fail verdict of a run, with a reason a reviewer can act on for every failed check.
import type { CommandResult, GateConfig, TimelinePoint, Totals } from '../types.js';

export interface GateInput {
  totals: Totals;
  p99Ms: number;
  timeline: TimelinePoint[];
  command?: CommandResult;
}

/** The final window used by --expect-version: the last few seconds that saw traffic. */
export const FINAL_WINDOW_S = 5;

export function evaluateGate(gate: GateConfig, input: GateInput): { passed: boolean; reasons: string[] } {
  const { totals } = input;
  const reasons: string[] = [];
  const dropped = totals.failed + totals.late;
  if (dropped > gate.maxFailures) {
    const late = totals.late ? ` (${totals.late} of them not sent in time)` : '';
    reasons.push(`${dropped} request${dropped === 1 ? '' : 's'} dropped${late}; allowed: ${gate.maxFailures}`);
  }
  if (gate.maxFailureRate !== undefined && totals.scheduled > 0) {
    const rate = dropped / totals.scheduled;
    if (rate > gate.maxFailureRate) reasons.push(`failure rate ${(rate * 100).toFixed(3)}% above the allowed ${(gate.maxFailureRate * 100).toFixed(3)}%`);
  }
  if (gate.maxP99Ms !== undefined && input.p99Ms > gate.maxP99Ms) reasons.push(`p99 latency ${input.p99Ms} ms above the allowed ${gate.maxP99Ms} ms`);
  if (gate.expectVersion !== undefined) {
    const reason = checkFinalVersion(gate.expectVersion, input.timeline);
    if (reason) reasons.push(reason);
  }
  const cmd = input.command;
  if (cmd && cmd.exitCode !== 0) reasons.push(cmd.exitCode === null ? `the wrapped command did not finish (${cmd.signal ?? 'stopped'})` : `the wrapped command exited with code ${cmd.exitCode}`);
  if (totals.scheduled === 0) reasons.push('no request was scheduled');
  return { passed: reasons.length === 0, reasons };
}

/** Why the final seconds were not all `expected`, or undefined when they were. */
export function checkFinalVersion(expected: string, timeline: TimelinePoint[]): string | undefined {
  const active = timeline.filter((p) => p.sent > 0);
  const last = active.slice(-FINAL_WINDOW_S);
  const counts: Record<string, number> = {};
  let total = 0;
  for (const p of last) {
    for (const [v, n] of Object.entries(p.versions)) counts[v] = (counts[v] ?? 0) + n;
    total += p.ok;
  }
  const got = counts[expected] ?? 0;
  if (total > 0 && got === total) return undefined;
  const mix = Object.entries(counts).map(([v, n]) => `${v} ${((n / Math.max(1, total)) * 100).toFixed(1)}%`).join(', ') || 'no tagged response';
  return `final ${last.length} s were not 100% version ${expected} (${mix})`;
}
