import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proberHealth, STALL_MS } from '../../src/record/prober-health.js';
import { blameProberStalls } from '../../src/analyze/prober-stall.js';
import type { Incident, ProberSecond } from '../../src/types.js';

const T0 = 1_700_000_000_000;
const sec = (t: number, loopMaxMs: number, cpuPct = 20): ProberSecond => ({ t, loopMaxMs, loopP99Ms: Math.min(loopMaxMs, 12), cpuPct });

test('consecutive stalled seconds make one stall; calm seconds none', () => {
  const h = proberHealth([sec(0, 11), sec(1, STALL_MS + 50), sec(2, 900), sec(3, 12), sec(4, STALL_MS)], T0);
  assert.deepEqual(h.stalls, [
    { start: T0 + 1000, end: T0 + 3000, maxDelayMs: 900 },
    { start: T0 + 4000, end: T0 + 5000, maxDelayMs: STALL_MS },
  ]);
  assert.equal(h.seconds, 5);
  assert.equal(h.loopDelayMs.max, 900);
  assert.deepEqual(h.cpuPct, { mean: 20, max: 20 });
});

const incident = (start: number, end: number): Incident => ({
  start, end, count: 3, failed: 3, kinds: { late: 3 }, modes: { reuse: 3 }, events: [],
  causes: [{ id: 'unknown', evidence: ['no cluster transition explains it'], fix: 'look' }],
});

test('a failure window beside a stall is the prober\'s; one far from it keeps its causes', () => {
  const h = proberHealth([sec(0, 10), sec(1, 1200), sec(2, 10), sec(3, 10), sec(4, 10), sec(5, 10)], T0);
  const [near, far] = blameProberStalls([incident(T0 + 2100, T0 + 2400), incident(T0 + 5500, T0 + 5600)], h);
  assert.deepEqual(near!.causes.map((c) => c.id), ['prober-stall']);
  assert.match(near!.causes[0]!.evidence[0]!, /held up for up to 1200 ms/);
  assert.deepEqual(far!.causes.map((c) => c.id), ['unknown']);
});
