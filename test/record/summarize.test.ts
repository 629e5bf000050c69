import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addLine, MAX_FAILURES_KEPT, newRecording, runDataOf, trafficOf } from '../../src/record/summarize.js';
import type { RecordLine } from '../../src/types.js';
import { at, recording } from '../fixtures/recordings/build.js';

const read = (lines: RecordLine[]) => {
  const r = newRecording();
  for (const l of lines) addLine(r, l);
  return r;
};

test('buckets add up to totals, statuses, versions and a timeline with one point a second', () => {
  const lines = recording({ seconds: 4, rps: 10, version: (t) => (t < 2 ? '1' : '2'), failures: [{ s: 1.5, status: 502 }, { s: 2.2, error: 'refused' }] });
  const t = trafficOf(read(lines));
  assert.deepEqual(t.totals, { scheduled: 40, sent: 40, ok: 38, failed: 2, late: 0 });
  assert.deepEqual(t.status, { 200: 38, 502: 1 });
  assert.deepEqual(t.errors, { refused: 1 });
  assert.deepEqual(t.versions, { 1: 19, 2: 19 });
  assert.deepEqual(t.timeline.map((p) => p.t), [0, 1, 2, 3]);
  assert.deepEqual(t.versionSpans.map((v) => [v.version, v.share]), [['1', 0.5], ['2', 0.5]]);
  assert.equal((t.modes.reuse?.scheduled ?? 0) + (t.modes.new?.scheduled ?? 0), 40, 'the modes split the totals');
});

test('failures become windows, and the failures list is in intended order', () => {
  const lines = recording({ seconds: 6, rps: 5, failures: [{ s: 4.0 }, { s: 1.0 }, { s: 1.3 }] });
  const t = trafficOf(read(lines));
  assert.deepEqual(t.failureWindows.map((w) => [w.start, w.end, w.count]), [[at(1), at(1.3), 2], [at(4), at(4), 1]]);
  assert.deepEqual(t.failures.map((f) => f.intended), [at(1), at(1.3), at(4)]);
  assert.equal(t.failuresOmitted, 0);
});

test('a recording is complete only with its footer, unless the live run says it drained', () => {
  const lines = recording({ seconds: 2, rps: 5 });
  assert.equal(trafficOf(read(lines)).complete, false);
  assert.equal(trafficOf(read(lines), { complete: true }).complete, true);
  const done = read(lines);
  addLine(done, { type: 'footer', endedAt: at(2.5), summary: {} as never });
  assert.equal(trafficOf(done).complete, true);
  assert.equal(trafficOf(done).endedAt, at(2.5), 'the footer decides when the run ended');
});

test('only the first failures are kept in memory; the rest are counted as omitted', () => {
  const n = MAX_FAILURES_KEPT + 5;
  const lines = recording({ seconds: 2, rps: n, failures: Array.from({ length: n }, (_, i) => ({ s: i / n })) });
  const t = trafficOf(read(lines));
  assert.equal(t.failures.length, MAX_FAILURES_KEPT);
  assert.equal(t.failuresOmitted, 5);
});

test('the run data keeps the header config, cluster events and snapshots; no header is an error', () => {
  const lines = recording({ seconds: 1, rps: 2, events: [{ at: at(0.5), kind: 'pod', type: 'deleting', namespace: 'shop', name: 'web-1', ip: null, node: null, gracePeriodSeconds: 30, preStop: null, deadline: at(30.5) }] });
  const data = runDataOf(read(lines));
  assert.equal(data.config.rps, 2);
  assert.equal(data.events.length, 1);
  assert.throws(() => trafficOf(read(lines.slice(1))), /no header/);
});
