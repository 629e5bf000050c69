// Recording formats: a format-1 recording (cluster events with a `detail` bag) still re-reports to
// the same summary, and a recording newer than this reader is refused in one line.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { Summary } from '../../src/types.js';
import { RECORDING_FORMAT, SUMMARY_FORMAT } from '../../src/record/format.js';
import { readRecording } from '../../src/record/ndjson.js';
import { upgradeEvent, type LegacyEvent } from '../../src/watch/legacy-event.js';
import { runCli } from '../helpers/cli.js';

const DIR = fileURLToPath(new URL('../../../test/fixtures/recordings/format-1/', import.meta.url));
/** A real `lab run rolling-update-no-prestop --record` made before cluster events were typed. */
const OLD = join(DIR, 'rolling-update-no-prestop.ndjson');
/** Its report, kept when the format changed: the summary this recording must keep giving. */
const EXPECTED = join(DIR, 'rolling-update-no-prestop.summary.json');
// Evidence names wall-clock times; the expected summary was written in UTC.
const UTC = { TZ: 'UTC' };

/**
 * A summary as the previous release shaped it: without what this release added (per-target counts,
 * the target of incidents and splits, the gate checks' id, limit and actual). Fields are only ever
 * added, so the old summary must equal the new one seen this way.
 */
function previousShape(s: Summary): unknown {
  const { targets: _targets, ...rest } = s;
  return {
    ...rest,
    incidents: s.incidents.map(({ target: _t, ...i }) => i),
    splits: s.splits.map(({ target: _t, ...x }) => x),
    gate: { ...s.gate, checks: s.gate.checks.map(({ id: _id, limit: _l, actual: _a, target: _t, ...c }) => c) },
  };
}

const lines = async (file: string): Promise<string[]> => (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim());

describe('a format-1 recording', () => {
  it('re-reports to the expected summary', async () => {
    const r = await runCli(['report', OLD, '--format', 'json'], { env: UTC });
    assert.equal(r.stderr, '');
    assert.equal(r.code, 1, 'the gate fails: the rollout dropped requests');
    const summary = JSON.parse(r.stdout) as Summary;
    // The causes are the one thing this release decides differently: one cause per set of failures.
    const withoutCauses = (x: unknown): unknown => {
      const o = x as { incidents: Array<Record<string, unknown>> };
      return { ...o, incidents: o.incidents.map(({ causes: _c, ...i }) => i) };
    };
    const expected = JSON.parse(await readFile(EXPECTED, 'utf8')) as Summary;
    assert.deepEqual(withoutCauses(previousShape(summary)), withoutCauses(expected));
    assert.equal(summary.format, SUMMARY_FORMAT);
    assert.deepEqual(expected.incidents.map((i) => i.causes.map((c) => c.id)), [['abrupt-shutdown', 'terminating-endpoint']], 'the previous release named two causes');
    assert.deepEqual(summary.incidents.map((i) => i.causes.map((c) => c.id)), [['terminating-endpoint']], 'this one names the cause whose fix removes the failures');
    assert.ok(summary.incidents[0]!.causes[0]!.evidence.some((e) => e.startsWith('context (abrupt-shutdown): ')));
  });

  it('gives the summary the old version wrote in its footer, its events upgraded', async () => {
    const footer = JSON.parse((await lines(OLD)).at(-1)!) as { type: string; summary: Record<string, unknown> & { incidents: Array<{ events: LegacyEvent[] }>; clusterEvents: LegacyEvent[] } };
    assert.equal(footer.type, 'footer');
    const old = footer.summary;
    assert.equal(old['format'], undefined, 'written before summaries had a format');
    const upgraded = {
      format: SUMMARY_FORMAT, ...old,
      incidents: old.incidents.map((i) => ({ ...i, events: i.events.map(upgradeEvent) })),
      clusterEvents: old.clusterEvents.map(upgradeEvent),
    };
    assert.deepEqual(JSON.parse(await readFile(EXPECTED, 'utf8')), upgraded);
  });

  it('is read as typed lines: the header says format 1, no event keeps a detail bag', async () => {
    const read = [];
    for await (const line of readRecording(OLD)) read.push(line);
    assert.equal(read.length, (await lines(OLD)).length);
    const header = read[0];
    assert.ok(header?.type === 'header');
    assert.equal(header.format, 1);
    const events = read.flatMap((l) => (l.type === 'cluster' ? [l.event] : []));
    assert.ok(events.length > 100);
    assert.ok(events.every((e) => !('detail' in e)));
    const deleting = events.find((e) => e.kind === 'pod' && e.type === 'deleting');
    assert.ok(deleting?.kind === 'pod' && deleting.type === 'deleting');
    assert.deepEqual([deleting.gracePeriodSeconds, deleting.preStop], [10, null]);
  });
});

describe('a format-2 recording', () => {
  it('re-reports to the summary its run wrote in the footer', async () => {
    const file = fileURLToPath(new URL('../../../test/fixtures/recordings/format-2/rolling-update-no-prestop.ndjson', import.meta.url));
    const footer = JSON.parse((await lines(file)).at(-1)!) as { type: string; summary: Summary };
    assert.equal(footer.summary.format, SUMMARY_FORMAT);
    const r = await runCli(['report', file, '--format', 'json'], { env: UTC });
    assert.equal(r.code, 1);
    assert.deepEqual(JSON.parse(r.stdout), footer.summary);
  });
});

describe('a recording newer than this reader', () => {
  it('is refused in one line with exit code 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zdprobe-format-'));
    try {
      const file = join(dir, 'future.ndjson');
      const [header, ...rest] = await lines(OLD);
      const future = { ...JSON.parse(header!), format: RECORDING_FORMAT + 1, version: '9.0.0' };
      await writeFile(file, [JSON.stringify(future), ...rest].join('\n') + '\n');
      const r = await runCli(['report', file, '--format', 'json'], { env: UTC });
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`format ${RECORDING_FORMAT + 1} recording by zdprobe 9\\.0\\.0; this zdprobe \\(.*\\) reads formats up to ${RECORDING_FORMAT}`));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
