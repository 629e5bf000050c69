// The held-out check: recordings taken on the real node (real kubelet, containerd, kube-proxy; the
// cluster events as the real cluster emitted them), one per cause, re-reported from the file alone.
// Each test/fixtures/real/<cause>[.<n>].ndjson must name <cause>, and only it, for every incident.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Summary } from '../../src/types.js';
import { runCli } from '../helpers/cli.js';
import { schemaProblems } from '../helpers/json-schema.js';

const DIR = fileURLToPath(new URL('../../../test/fixtures/real/', import.meta.url));
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.ndjson')).sort();

/** Requests the prober itself cut when the run ended ("unfinished") are not a cluster failure. */
const clusterIncidents = (s: Summary): Summary['incidents'] => s.incidents.filter((i) => Object.keys(i.kinds).some((k) => k !== 'unfinished'));

test('there is a real-node recording for the causes a lab scenario reproduces', () => {
  assert.ok(FILES.length >= 6, FILES.join(', '));
});

test('every line of the real-node recordings conforms to docs/schema/recording.schema.json', () => {
  for (const file of FILES) {
    const lines = readFileSync(`${DIR}${file}`, 'utf8').split('\n').filter(Boolean);
    const problems = lines.flatMap((l, i) => schemaProblems('recording.schema.json', JSON.parse(l)).map((p) => `${file}:${i + 1}: ${p}`));
    assert.deepEqual(problems.slice(0, 5), []);
  }
});

for (const file of FILES) {
  // <cause>.ndjson, or <cause>.<n>.ndjson for another run of the same scenario.
  const cause = file.split('.')[0]!;
  test(`zdprobe report on the real-node recording ${file} names ${cause} alone`, async () => {
    const r = await runCli(['report', `${DIR}${file}`, '--format', 'json']);
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
    const incidents = clusterIncidents(JSON.parse(r.stdout) as Summary);
    assert.ok(incidents.length > 0, 'the recording has an incident');
    // prober-stall is named beside the app's cause when the prober itself was held up in that second.
    for (const i of incidents) {
      const ids = i.causes.map((c) => c.id).filter((id) => id !== 'prober-stall');
      assert.deepEqual(ids, [cause], `incident at ${new Date(i.start).toISOString()} (${JSON.stringify(i.kinds)})`);
    }
  });
}

test('the real liveness kill shows its restart: the watcher saw the exit and the restart in one status update', async () => {
  const r = await runCli(['report', `${DIR}liveness-restart.ndjson`, '--format', 'json']);
  const evidence = clusterIncidents(JSON.parse(r.stdout) as Summary).flatMap((i) => i.causes.flatMap((c) => c.evidence));
  assert.ok(evidence.some((e) => /it was restarted at .* \(restart count 1\)/.test(e)), evidence.join('\n'));
  assert.ok(!evidence.some((e) => /no restart of it was recorded/.test(e)), evidence.join('\n'));
});
