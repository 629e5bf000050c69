import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SPAM_BURST, spamFilter } from '../../../src/lab/kubelet/events.js';
import type { EventSpec, EventTarget } from '../../../src/lab/kubelet/events.js';

const pod = (name: string): EventTarget => ({ kind: 'Pod', namespace: 'default', name, uid: `uid-${name}` });
const unhealthy: EventSpec = { type: 'Warning', reason: 'Unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 503' };
const killing: EventSpec = { type: 'Normal', reason: 'Killing', message: 'Container web failed liveness probe, will be restarted' };

test('the spam filter lets 25 events of one pod through, then one per 5 min, whatever their type or reason', () => {
  const allowed = spamFilter();
  const t0 = 1_000_000;
  const first = Array.from({ length: 30 }, (_, i) => allowed(pod('a'), unhealthy, 'node-1', t0 + i * 1000));
  assert.equal(first.filter(Boolean).length, SPAM_BURST);
  assert.equal(allowed(pod('a'), killing, 'node-1', t0 + 31_000), false, 'a Normal Killing event after 25 probe failures is dropped too');
  assert.equal(allowed(pod('b'), killing, 'node-1', t0 + 31_000), true, 'another pod has its own bucket');
  assert.equal(allowed(pod('a'), killing, 'node-1', t0 + 24_000 + 300_000), true, 'a token comes back after 5 min');
  assert.equal(allowed(pod('a'), killing, 'node-1', t0 + 24_000 + 301_000), false);
});
