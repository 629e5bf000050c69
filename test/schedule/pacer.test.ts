import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constantPacer, pacerSlice } from '../../src/schedule/pacer.js';
import { runSchedule } from '../../src/schedule/run-schedule.js';

test('a constant pacer spaces requests exactly 1/rps apart', () => {
  const p = constantPacer(30);
  assert.equal(p.dueAt(0), 0);
  assert.equal(p.dueAt(30), 1000);
  assert.ok(Math.abs(p.dueAt(1) - 1000 / 30) < 1e-9);
});

test('a ramp reaches the rate linearly and sends rps·ramp/2 requests during it', () => {
  const p = constantPacer(100, 10);
  assert.equal(p.dueAt(500), 10_000, 'the ramp ends after 500 requests at 10 s');
  assert.ok(Math.abs(p.dueAt(125) - 5000) < 1e-6, 'a quarter of the ramp count is due at half the ramp time');
  assert.ok(Math.abs(p.dueAt(600) - 11_000) < 1e-6, 'full rate after the ramp');
});

test('the schedule ends at the duration', () => {
  const p = constantPacer(10, 0, 2);
  assert.equal(p.dueAt(19), 1900);
  assert.equal(p.dueAt(20), Infinity);
});

test('runSchedule fires each request once, never before its intended time', async () => {
  const fired: Array<[number, number, number]> = [];
  const start = Date.now() + 10;
  const clock = { now: () => Date.now() };
  const h = runSchedule(constantPacer(200, 0, 0.25), start, (seq, intended) => fired.push([seq, intended, clock.now()]), clock);
  await h.done;
  assert.equal(fired.length, 50);
  assert.deepEqual(fired.map((f) => f[0]), [...Array(50).keys()]);
  for (const [, intended, at] of fired) assert.ok(at >= intended - 0.001, 'not early');
});

test('stopping a schedule ends it at once', async () => {
  const clock = { now: () => Date.now() };
  let n = 0;
  const h = runSchedule(constantPacer(1000), clock.now(), () => (n += 1), clock);
  setTimeout(() => h.stop(), 50);
  await h.done;
  const atStop = n;
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(n, atStop);
  assert.equal(h.count(), n);
});

test('the slices of a sharded schedule are the whole schedule, each request in exactly one slice, in order', () => {
  const whole = constantPacer(100, 2, 3);
  for (const count of [1, 2, 3]) {
    const seen: number[] = [];
    for (let i = 0; i < count; i++) {
      const slice = pacerSlice(whole, i, count);
      let last = -1;
      for (let k = 0; slice.dueAt(k) !== Infinity; k++) {
        assert.equal(slice.dueAt(k), whole.dueAt(slice.seqOf(k)));
        assert.ok(slice.dueAt(k) >= last, 'a slice is due in order');
        last = slice.dueAt(k);
        seen.push(slice.seqOf(k));
      }
    }
    let total = 0;
    while (whole.dueAt(total) !== Infinity) total += 1;
    assert.deepEqual(seen.sort((a, b) => a - b), Array.from({ length: total }, (_, n) => n), `${count} slices`);
  }
});
