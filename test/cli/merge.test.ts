// zdprobe merge: two probes at once against one real server, merged, equal what the server logged,
// and the merged p99 is the p99 of every request's latency together.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { schemaProblems } from '../helpers/json-schema.js';
import { flipping, startServer, statuses } from '../helpers/servers.js';
import { decodeHistogram, latencyOf, newHistogram } from '../../src/record/histogram.js';
import { mergeRuns } from '../../src/run/index.js';
import type { RecordLine } from '../../src/types.js';
import { podDeleting, recording } from '../fixtures/recordings/build.js';
import { tempDir } from '../helpers/temp-dir.js';

const tmp = tempDir('zdprobe-merge-');
const linesOf = (path: string): RecordLine[] => readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as RecordLine);

test('two probes of one server merge to exactly what the server logged, with the p99 of all requests', async () => {
  const srv = await startServer(statuses([200, 200, 200, 200, 503]));
  const [a, b] = [join(tmp, 'node-a.ndjson'), join(tmp, 'node-b.ndjson')];
  try {
    await Promise.all([
      runCli(['probe', srv.url, '--rps', '20', '-d', '2s', '--record', a]),
      runCli(['probe', srv.url, '--rps', '15', '-d', '2s', '--record', b]),
    ]);
    const r = await runCli(['merge', a, b, '--format', 'json']);
    assert.equal(r.code, 1, 'the 503s fail the merged gate');
    const s = JSON.parse(r.stdout);
    assert.equal(s.totals.scheduled, 70);
    assert.deepEqual(s.status, srv.did, 'merged statuses equal the server log');
    assert.equal(s.totals.failed, srv.did['503']);
    assert.deepEqual(s.sources.map((x: { totals: { scheduled: number } }) => x.totals.scheduled), [40, 30]);
    assert.equal(s.targets.default.achievedRps > 0, true);
    const all = newHistogram();
    for (const line of [...linesOf(a), ...linesOf(b)]) {
      if (line.type === 'bucket') for (const enc of Object.values(line.bucket.hists)) all.add(decodeHistogram(enc));
    }
    assert.deepEqual(s.latencyMs, latencyOf(all), 'the merged percentiles are those of every request together');
    assert.deepEqual(schemaProblems('summary.schema.json', s), [], 'the merged summary follows the published schema');
  } finally {
    await srv.close();
  }
});

test('recordings of different targets do not merge: exit 2, one line', async () => {
  const srv = await startServer(flipping(1e9));
  const [a, b] = [join(tmp, 'one.ndjson'), join(tmp, 'two.ndjson')];
  try {
    await runCli(['probe', srv.url, '--rps', '10', '-d', '1s', '--record', a]);
    await runCli(['probe', `${srv.url}other`, '--rps', '10', '-d', '1s', '--record', b]);
    const r = await runCli(['merge', a, b]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /probes other targets .* only recordings of the same targets merge/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  } finally {
    await srv.close();
  }
});

test('a cluster transition both watchers saw is in the merged run once; the timelines align by wall clock', async () => {
  const deleting = podDeleting(1, 'web-1');
  const one = recording({ seconds: 3, rps: 10, events: [deleting] });
  const later = recording({ seconds: 3, rps: 10, events: [{ ...deleting, at: deleting.at + 40 }] });
  const header = later[0]!;
  assert.equal(header.type, 'header');
  // The second node started one second later.
  const shifted = [{ ...header, startedAt: header.startedAt + 1000 }, ...later.slice(1)];
  const s = await mergeRuns([{ name: 'a', lines: one }, { name: 'b', lines: shifted }]);
  assert.equal(s.totals.scheduled, 60);
  assert.deepEqual(s.timeline.map((p) => [p.t, p.scheduled]), [[0, 10], [1, 20], [2, 20], [3, 10]]);
  assert.equal((s.clusterEvents ?? []).filter((e) => e.kind === 'pod' && e.type === 'deleting').length, 1);
});
