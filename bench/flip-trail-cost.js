#!/usr/bin/env node
// What finding version flips over all workers costs (src/record/version-trail.ts): 200 000 responses
// over 2 workers in 40 batches each, through each worker's trail, the batch's structured clone (as
// postMessage makes it) and the main thread's merge; beside it, one flip tracker per worker (before).
// Usage: npx tsc -p . && node bench/flip-trail-cost.js
import { cpuUsage } from 'node:process';
import { createFlipTracker } from '../dist/src/record/aggregate.js';
import { createFlipMerge, createVersionTrail } from '../dist/src/record/version-trail.js';

const N = 200_000;
const cpuMs = (fn) => {
  const c0 = cpuUsage();
  fn();
  const c = cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
const mixes = [['one version', () => '1'], ['two alternating', (i) => (i % 2 ? '2' : '1')], ['two at random', () => (Math.random() < 0.5 ? '1' : '2')]];

for (const [name, versionOf] of mixes) {
  let points = 0;
  const trailed = cpuMs(() => {
    const trails = [createVersionTrail(), createVersionTrail()];
    const merge = createFlipMerge(2, () => undefined);
    for (let batch = 1, i = 0; batch <= 40; batch++) {
      for (; i < (batch * N) / 40; i++) trails[i % 2].seen(versionOf(i >> 1), i * 0.05);
      for (const w of [0, 1]) {
        const msg = structuredClone({ points: trails[w].take(), upTo: batch * 250 });
        points += msg.points.length;
        merge.add(w, msg.points, msg.upTo);
      }
    }
  });
  const before = cpuMs(() => {
    const trackers = [createFlipTracker(() => undefined), createFlipTracker(() => undefined)];
    for (let i = 0; i < N; i++) trackers[i % 2].seen(versionOf(i >> 1), i * 0.05);
  });
  console.log(`${name}: ${points} points handed on for ${N} responses; CPU ${trailed.toFixed(0)} ms (a tracker per worker: ${before.toFixed(0)} ms)`);
}
