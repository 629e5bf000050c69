import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideGate, sameVersion, type GateInput } from '../../src/analyze/gate.js';
import type { GateConfig, TimelinePoint } from '../../src/types.js';

const point = (t: number, versions: Record<string, number>): TimelinePoint => {
  const ok = Object.values(versions).reduce((a, b) => a + b, 0);
  return { t, scheduled: ok, sent: ok, ok, failed: 0, late: 0, p99: 10, versions, status: { 200: ok }, errors: {} };
};

// Version 1 first, then the final five seconds (the --expect-version window) all version 2.
const timeline = [point(0, { '1': 10 }), ...[1, 2, 3, 4, 5].map((t) => point(t, { '2': 10 }))];
const expecting = (expected: string) => ({ expectVersions: [{ expected, timeline }] });

const input = (over: Partial<GateInput> = {}): GateInput => ({
  totals: { scheduled: 1000, sent: 1000, ok: 1000, failed: 0, late: 0 },
  p99Ms: 40,
  expectVersions: [],
  complete: true,
  splits: [],
  ...over,
});

const dropped = (failed: number, late = 0) => ({ totals: { scheduled: 1000, sent: 1000 - late, ok: 1000 - failed - late, failed, late } });

const cases: Array<{ name: string; gate: GateConfig; input: Partial<GateInput>; failed: string[] }> = [
  { name: 'nothing dropped passes the default gate', gate: {}, input: {}, failed: [] },
  { name: 'one drop fails the default gate (0 allowed)', gate: {}, input: dropped(1), failed: ['max-failures'] },
  { name: 'a late request counts as dropped', gate: { maxFailures: 0 }, input: dropped(0, 1), failed: ['max-failures'] },
  { name: '--max-failure-rate alone decides: 1 of 1000 is within 0.5%', gate: { maxFailureRate: 0.005 }, input: dropped(1), failed: [] },
  { name: '--max-failure-rate alone decides: 10 of 1000 is above 0.5%', gate: { maxFailureRate: 0.005 }, input: dropped(10), failed: ['max-failure-rate'] },
  { name: 'both limits given: both apply', gate: { maxFailures: 0, maxFailureRate: 0.5 }, input: dropped(1), failed: ['max-failures'] },
  { name: 'p99 above the limit fails', gate: { maxP99Ms: 30 }, input: {}, failed: ['max-p99'] },
  { name: 'final version 2 expected and seen', gate: {}, input: expecting('2'), failed: [] },
  { name: 'v2 and 2 name the same version', gate: {}, input: expecting('v2'), failed: [] },
  { name: 'final seconds of another version fail', gate: {}, input: expecting('1'), failed: ['expect-version'] },
  { name: 'a failed command fails', gate: {}, input: { command: { argv: ['x'], startedAt: 0, endedAt: 1, exitCode: 3, signal: null } }, failed: ['command'] },
  { name: 'a command that never started fails', gate: {}, input: { command: { argv: ['x'], startedAt: 0, endedAt: null, exitCode: null, signal: null, notStarted: true } }, failed: ['command'] },
  { name: 'an incomplete recording never passes', gate: {}, input: { complete: false }, failed: ['complete'] },
  { name: 'nothing scheduled fails', gate: {}, input: { totals: { scheduled: 0, sent: 0, ok: 0, failed: 0, late: 0 } }, failed: ['scheduled'] },
];

for (const c of cases) {
  test(`gate: ${c.name}`, () => {
    const g = decideGate(c.gate, input(c.input));
    assert.deepEqual(g.checks.filter((k) => !k.passed).map((k) => k.id), c.failed);
    assert.equal(g.passed, c.failed.length === 0);
    assert.deepEqual(g.reasons, g.checks.flatMap((k) => (k.reason ? [k.reason] : [])), 'the reasons are the failed checks, rendered');
  });
}

test('each check carries its limit and what the run showed', () => {
  const g = decideGate({ maxFailures: 2, maxP99Ms: 30 }, input(dropped(5)));
  const byId = Object.fromEntries(g.checks.map((c) => [c.id, c]));
  assert.deepEqual([byId['max-failures']?.limit, byId['max-failures']?.actual], [2, 5]);
  assert.deepEqual([byId['max-p99']?.limit, byId['max-p99']?.actual], [30, 40]);
  assert.equal(g.reasons[0], '5 requests dropped; allowed: 2');
});

test('versions compare without a leading v', () => {
  assert.ok(sameVersion('v2.0.1', '2.0.1'));
  assert.ok(!sameVersion('2.0.1', '2.0.10'));
  assert.ok(!sameVersion('vnext', 'next'), 'only a v before a digit is a prefix');
});
