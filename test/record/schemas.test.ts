// The published JSON Schemas (docs/schema) describe what zdprobe really writes.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { RecordLine, Summary } from '../../src/types.js';
import { RECORDING_FORMAT } from '../../src/record/format.js';
import { readRecording } from '../../src/record/ndjson.js';
import { summaryFromLines } from '../../src/run/index.js';
import { analyse, recording } from '../fixtures/recordings/build.js';
import * as scenarios from '../fixtures/recordings/scenarios.js';
import { runCli } from '../helpers/cli.js';
import { schemaProblems } from '../helpers/json-schema.js';
import { startServer, statuses } from '../helpers/servers.js';

const fixture = (path: string): string => fileURLToPath(new URL(`../../../test/fixtures/recordings/${path}`, import.meta.url));
/** The same lab scenario recorded before (format 1) and after (format 2) cluster events were typed. */
const OLD = fixture('format-1/rolling-update-no-prestop.ndjson');
const LAB = fixture('format-2/rolling-update-no-prestop.ndjson');

const lineProblems = (lines: RecordLine[]): string[] =>
  lines.flatMap((l, i) => schemaProblems('recording.schema.json', l).map((p) => `line ${i + 1}: ${p}`));

describe('docs/schema', () => {
  let tmp = '';
  before(async () => { tmp = await mkdtemp(join(tmpdir(), 'zdprobe-schema-')); });
  after(async () => { await rm(tmp, { recursive: true, force: true }); });

  it('describes a fresh probe recording and its --json summary', async () => {
    const srv = await startServer(statuses([200, 200, 200, 502]));
    try {
      const rec = join(tmp, 'fresh.ndjson');
      const json = join(tmp, 'fresh.json');
      await runCli(['probe', srv.url, '--rps', '20', '-d', '2s', '--record', rec, '--json', json]);
      const lines: RecordLine[] = [];
      for await (const l of readRecording(rec)) lines.push(l);
      assert.deepEqual(lines.map((l) => l.type).filter((t, i, all) => all.indexOf(t) === i).sort(), ['bucket', 'failure', 'flip', 'footer', 'header', 'prober', 'protocol']);
      assert.deepEqual(lineProblems(lines), []);
      assert.deepEqual(schemaProblems('summary.schema.json', JSON.parse(await readFile(json, 'utf8'))), []);
    } finally {
      await srv.close();
    }
  });

  it('describes a lab run recording with cluster events, config snapshots and its footer summary', async () => {
    const lines = (await readFile(LAB, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as RecordLine);
    const kinds = new Set(lines.flatMap((l) => (l.type === 'cluster' ? [l.event.kind] : [])));
    assert.deepEqual([...kinds].sort(), ['deployment', 'endpoint', 'event', 'pod', 'replicaset', 'route', 'service', 'watch']);
    assert.ok(lines.some((l) => l.type === 'config'));
    assert.equal(lines.at(-1)?.type, 'footer');
    assert.deepEqual(lineProblems(lines), []);
  });

  it('describes a format-1 recording once upgraded, and its summary', async () => {
    const lines: RecordLine[] = [];
    for await (const l of readRecording(OLD)) lines.push(l.type === 'header' ? { ...l, format: RECORDING_FORMAT } : l);
    assert.ok(lines.filter((l) => l.type === 'cluster').length > 100);
    // Its footer holds the summary the previous release wrote; the summary it re-reports to is today's.
    assert.equal(lines.at(-1)?.type, 'footer');
    assert.deepEqual(lineProblems(lines.slice(0, -1)), []);
    const summary = await summaryFromLines(lines);
    assert.ok(summary && summary.incidents[0]!.events.length > 0);
    assert.deepEqual(schemaProblems('summary.schema.json', summary), []);
  });

  it('describes the route, rollout and watch events of an analysed summary', () => {
    const s = analyse(recording(scenarios.routeConfig()));
    assert.ok(s.clusterEvents?.some((e) => e.kind === 'route'));
    assert.deepEqual(schemaProblems('summary.schema.json', s), []);
  });

  it('rejects an event that still carries a detail bag, a missing condition, and a summary without format', () => {
    const s = analyse(recording(scenarios.terminatingEndpoint()));
    const events = s.incidents[0]!.events;
    const endpoint = events.find((e) => e.kind === 'endpoint');
    assert.ok(endpoint);
    const { ready: _ready, ...withoutReady } = endpoint;
    const bag = { at: 1, kind: 'pod', type: 'deleting', name: 'web-1', detail: { gracePeriodSeconds: 30 } };
    const broken = (e: unknown): Summary => ({ ...s, incidents: [{ ...s.incidents[0]!, events: [e as (typeof events)[number]] }] });
    assert.match(schemaProblems('summary.schema.json', broken(bag)).join('\n'), /incidents\[0\]\.events\[0\]: matches none/);
    assert.match(schemaProblems('summary.schema.json', broken(withoutReady)).join('\n'), /missing "ready"/);
    const { format: _format, ...unversioned } = s;
    assert.match(schemaProblems('summary.schema.json', unversioned).join('\n'), /missing "format"/);
  });
});
