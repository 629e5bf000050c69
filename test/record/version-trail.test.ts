// The flips of a sharded run, found over the workers' version points, against one tracker that sees
// every response in time order (what one thread does: its responses end in the order it adds them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFlipTracker } from '../../src/record/aggregate.js';
import { createFlipMerge, createVersionTrail, STEP_MS } from '../../src/record/version-trail.js';
import type { VersionFlip, VersionPoint } from '../../src/types.js';

/** One worker's responses: one every `gapMs` from `fromMs` to `toMs`, its version by time. */
const responses = (fromMs: number, toMs: number, gapMs: number, version: (at: number) => string): VersionPoint[] =>
  Array.from({ length: Math.floor((toMs - fromMs) / gapMs) + 1 }, (_, i) => fromMs + i * gapMs).map((at) => ({ version: version(at), at }));

function oneThread(all: VersionPoint[][]): VersionFlip[] {
  const out: VersionFlip[] = [];
  const tracker = createFlipTracker((f) => out.push(f));
  for (const p of all.flat().sort((a, b) => a.at - b.at)) tracker.seen(p.version, p.at);
  return out;
}

/** Each worker keeps a trail and hands it on every `batchMs`; the batches arrive in `order` of workers. */
function sharded(all: VersionPoint[][], batchMs: number, order: (cut: number) => number[]): { flips: VersionFlip[]; points: number } {
  const flips: VersionFlip[] = [];
  const merge = createFlipMerge(all.length, (f) => flips.push(f));
  const trails = all.map(() => createVersionTrail());
  const next = all.map(() => 0);
  let points = 0;
  const end = Math.max(...all.flat().map((p) => p.at));
  for (let cut = 0, upTo = batchMs; upTo < end + batchMs; cut += 1, upTo += batchMs) {
    for (const w of order(cut)) {
      const mine = all[w]!;
      for (; next[w]! < mine.length && mine[next[w]!]!.at <= upTo; next[w]! += 1) trails[w]!.seen(mine[next[w]!]!.version, mine[next[w]!]!.at);
      const taken = trails[w]!.take();
      points += taken.length;
      merge.add(w, taken, upTo);
    }
  }
  all.forEach((_, w) => merge.end(w));
  return { flips, points };
}

const kinds = (flips: VersionFlip[]): [string | null, string, boolean][] => flips.map((f) => [f.from, f.to, f.back]);

const cases: { name: string; workers: VersionPoint[][] }[] = [
  {
    name: 'worker A turns v2 at 3.1 s while worker B answers v1 until 3.4 s',
    workers: [responses(0, 6000, 7, (at) => (at >= 3100 ? '2' : '1')), responses(3, 6000, 7, (at) => (at > 3400 ? '2' : '1'))],
  },
  {
    name: "worker B's last v1 answers 1 ms after worker A's first v2",
    workers: [responses(0, 6000, 7, (at) => (at >= 3101 ? '2' : '1')), responses(3, 6000, 3, (at) => (at <= 3102 ? '1' : '2'))],
  },
  {
    name: 'three workers through a rollout that mixes v1 and v2 for a second, each on its own pattern',
    workers: [
      responses(0, 5000, 3, (at) => (at < 2000 ? '1' : at < 3000 ? (Math.floor(at / 9) % 2 ? '2' : '1') : '2')),
      responses(1, 5000, 4, (at) => (at < 2200 ? '1' : '2')),
      responses(2, 5000, 5, (at) => (at < 2500 ? '1' : at < 2900 ? '2' : at < 3100 ? '1' : '2')),
    ],
  },
  {
    name: 'v1, v2, v3 and back to v2 on one worker only',
    workers: [responses(0, 4000, 2, (at) => (at < 1000 ? '1' : at < 2000 ? '2' : at < 3000 ? '3' : '2')), responses(1, 4000, 2, (at) => (at < 1500 ? '1' : '2'))],
  },
];

for (const { name, workers } of cases) {
  test(`${name}: the same flips as one thread, whichever worker's batch comes first`, () => {
    const want = oneThread(workers);
    for (const order of [(_: number) => workers.map((_w, i) => i), (cut: number) => workers.map((_w, i) => (i + cut) % workers.length).reverse()]) {
      const got = sharded(workers, 250, order).flips;
      assert.deepEqual(kinds(got), kinds(want));
      got.forEach((f, i) => {
        const w = want[i]!;
        if (!f.back) assert.equal(f.at, w.at, 'a first sight is the first response of that version');
        // a flip back is found at the last response of that version in the worker's window: at most STEP_MS late
        else assert.ok(f.at >= w.at && f.at < w.at + STEP_MS, `flip back at ${f.at}, one thread at ${w.at}`);
      });
    }
  });
}

test('a flip back seen across workers only is found, and a worker whose batch comes late adds no false one', () => {
  const [a, b] = cases[0]!.workers;
  // B's batches always arrive after A's: its early v1 must not count as v1 again after A's v2
  const got = sharded([a!, b!], 250, () => [0, 1]).flips;
  assert.deepEqual(kinds(got), [[null, '1', false], ['1', '2', false], ['2', '1', true]]);
  assert.ok(got[2]!.at > 3100 && got[2]!.at < 3100 + STEP_MS);
});

test('a worker hands on a bounded trail: per STEP_MS, the first and last response of each version', () => {
  // 20 000 responses in 10 s, one version, then two versions alternating on every response
  for (const [versions, version] of [[1, () => '1'], [2, (at: number) => (at % 1 === 0 ? '1' : '2')]] as const) {
    const { points } = sharded([responses(0, 10_000, 0.5, version)], 250, () => [0]);
    assert.ok(points <= 2 * versions * (10_000 / STEP_MS + 40), `${points} points for 20 000 responses of ${versions} version(s)`);
  }
  const trail = createVersionTrail();
  for (const [version, at] of [['1', 0], ['1', 1], ['1', 2], ['2', 3], ['1', 4], ['1', 5], ['1', 12]] as const) trail.seen(version, at);
  assert.deepEqual(trail.take().map((p) => `${p.version}@${p.at}`), ['1@0', '2@3', '1@5', '1@12'], 'per window: each version\'s first and last');
  assert.deepEqual(trail.take(), [], 'nothing twice');
});
