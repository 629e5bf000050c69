import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newBackoff, startDelay } from '../../../src/lab/kubelet/backoff.js';

const s = 1000;

test('a crash loop: the first restart at once, then 10 s, 20 s, 40 s ... up to 5 min', () => {
  const b = newBackoff();
  let now = 0;
  const waits: number[] = [];
  for (let crash = 0; crash < 8; crash++) {
    const exitedAt = now;
    const wait = startDelay(b, exitedAt, now);
    waits.push(wait);
    // The kubelet tries again when the back-off from that exit is over.
    if (wait > 0) assert.equal(startDelay(b, exitedAt, (now += wait)), 0);
    now += 1 * s; // runs for 1 s, then crashes again
  }
  assert.deepEqual(waits.map((w) => w / s), [0, 10, 20, 40, 80, 160, 300, 300]);
});

test('liveness kills: the start decision sees only the instance before the killed one, so back-off comes late', () => {
  const b = newBackoff();
  // Killed every 15 s: no exited instance yet; then one 15 s old (back-off starts at 10 s); 15 s old
  // again (past 10 s, back-off now 20 s); then 15 s old against 20 s: wait the 5 s left.
  assert.equal(startDelay(b, undefined, 15 * s), 0);
  assert.equal(startDelay(b, 15 * s, 30 * s), 0);
  assert.equal(startDelay(b, 30 * s, 45 * s), 0);
  assert.equal(startDelay(b, 45 * s, 60 * s), 5 * s);
});
