// A target's schedule sharded over worker threads: the servers' own counts equal the recording's,
// each second is one bucket, and Ctrl-C still writes a complete recording with the unfinished ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type http from 'node:http';
import type { ServerHttp2Stream } from 'node:http2';
import { openRecordWriter, runMetrics, startRun, summaryFromLines } from '../../src/run/index.js';
import { readRecording } from '../../src/record/ndjson.js';
import { workersFor } from '../../src/run/probe-config.js';
import { answer, flipping, startServer } from '../helpers/servers.js';
import { h2Answer, startH2Server } from '../helpers/h2-servers.js';
import { startGrpcServer } from '../helpers/grpc-servers.js';
import { testConfig } from '../helpers/probe-config.js';
import { runCli } from '../helpers/cli.js';
import type { RecordLine, Summary, Totals } from '../../src/types.js';

const sum = (m: Record<string, number>): number => Object.values(m).reduce((a, b) => a + b, 0);
const recordingPath = (): string => join(mkdtempSync(join(tmpdir(), 'zdprobe-workers-')), 'run.ndjson');

async function linesOf(path: string): Promise<RecordLine[]> {
  const lines: RecordLine[] = [];
  for await (const line of readRecording(path)) lines.push(line);
  return lines;
}

function assertAccounted(t: Totals, scheduled: number): void {
  assert.equal(t.scheduled, scheduled, 'every scheduled request is in the totals');
  assert.equal(t.ok + t.failed + t.late, scheduled, 'each counted exactly once');
}

/** One bucket line per target and second: the workers' buckets were merged, not written side by side. */
function assertOneBucketPerSecond(lines: RecordLine[]): void {
  const keys = lines.flatMap((l) => (l.type === 'bucket' ? [`${l.target ?? ''}@${l.bucket.t}`] : []));
  assert.equal(new Set(keys).size, keys.length);
}

test('the worker count follows the rate and the cores; a slow probe stays on the main thread', () => {
  assert.equal(workersFor(30, 2), 1);
  assert.equal(workersFor(20_000, 8), 1);
  assert.equal(workersFor(25_001, 2), 2);
  assert.equal(workersFor(50_000, 2), 2);
  assert.equal(workersFor(50_000, 8), 2);
  assert.equal(workersFor(75_001, 8), 4);
  assert.equal(workersFor(30_000, 1), 1);
});

test('--workers that is not a whole number from 1 to 64 is one line, exit 2, before any request', async () => {
  const srv = await startServer((_n, _req, res) => answer(res, 200, '1'));
  try {
    for (const bad of ['0', '1.5', 'two', '65']) {
      const r = await runCli(['probe', srv.url, '--workers', bad, '-d', '1s', '--no-watch']);
      assert.equal(r.code, 2, bad);
      assert.match(r.stderr.trim(), /^zdprobe: --workers ".*" must be a whole number from 1 to 64$/);
    }
    assert.deepEqual(srv.did, {}, 'no request was sent');
  } finally {
    await srv.close();
  }
});

test('with two workers the server counts exactly the requests of the one recording, versions included', async () => {
  const srv = await startServer(flipping(100));
  const path = recordingPath();
  try {
    const writer = openRecordWriter(path);
    const metrics = runMetrics();
    const s = await startRun({ plan: { targets: [testConfig(srv.url, { rps: 300, durationS: 1, connection: 'both' })] }, workers: 2, writer, metrics });
    writer.close();
    assertAccounted(s.totals, 300);
    assert.equal(s.totals.sent, sum(srv.did), 'the server saw every sent request, and no other');
    assert.deepEqual(s.versions, { 1: 100, 2: 200 });
    assert.equal(s.modes.reuse?.scheduled, 150, 'both halves of --connection both, as in one thread');
    const lines = await linesOf(path);
    assertOneBucketPerSecond(lines);
    const again = (await summaryFromLines(lines)) as Summary;
    assert.deepEqual(again.totals, s.totals, 'the recording alone gives the same totals');
    assert.match(await metrics.text(), /^zdprobe_scheduled_total\{target="default"\} 300$/m, 'the live counters end equal to the totals');
    assert.deepEqual(s.flips.filter((f) => !f.back).map((f) => [f.from, f.to]), [[null, '1'], ['1', '2']]);
  } finally {
    await srv.close();
  }
});

/**
 * Two pods as two workers see them: each worker sends all its requests on its own h2c connection, and
 * the first connection's pod answers v2 from the server's 100th request on while the other's stays
 * v1 until the 200th. Each worker alone sees only v1 -> v2; the run as a whole sees v1, v2, v1 again.
 */
function halfRolled(): (n: number, stream: ServerHttp2Stream) => string {
  const pods = new Map<unknown, number>();
  return (n, stream) => {
    const pod = pods.get(stream.session) ?? pods.set(stream.session, pods.size).size - 1;
    return h2Answer(stream, 200, n >= (pod === 0 ? 100 : 200) ? '2' : '1');
  };
}

test('a flip back that shows only across two workers is in the recording, as one thread would record it', async () => {
  const srv = await startH2Server(halfRolled());
  const path = recordingPath();
  try {
    const writer = openRecordWriter(path);
    const s = await startRun({ plan: { targets: [testConfig(srv.url, { rps: 300, protocol: 'h2c', connection: 'reuse' })] }, workers: 2, writer });
    writer.close();
    assertAccounted(s.totals, 300);
    assert.equal(srv.sessions(), 2, 'one connection per worker: neither worker saw the other pod');
    const recorded = (await linesOf(path)).flatMap((l) => (l.type === 'flip' ? [l.flip] : []));
    assert.deepEqual(recorded.map((f) => [f.from, f.to, f.back]), [[null, '1', false], ['1', '2', false], ['2', '1', true]]);
    assert.ok(recorded[2]!.at >= recorded[1]!.at, 'v1 answered again after v2 had');
    assert.deepEqual(s.flips, recorded, 'the run reports what it recorded');
  } finally {
    await srv.close();
  }
});

test('a plan of HTTP/1.1, h2c and gRPC targets, each on two workers: per-target counts as each server saw them', async () => {
  const h1 = await startServer((_n, _req, res) => answer(res, 200, '1'));
  const h2c = await startH2Server((_n, stream) => h2Answer(stream, 200, '1'));
  const grpc = await startGrpcServer(() => 'SERVING');
  try {
    const s = await startRun({
      plan: { targets: [
        testConfig(h1.url, { name: 'web', rps: 100 }),
        testConfig(h2c.url, { name: 'api', rps: 80, protocol: 'h2c' }),
        testConfig(grpc.url, { name: 'health', rps: 40 }),
      ] },
      workers: 2,
    });
    const targets = s.targets!;
    assert.deepEqual(targets['web']!.status, h1.did);
    assert.deepEqual(targets['api']!.status, h2c.did);
    assert.deepEqual(h2c.versions, { '2.0': 80 });
    assert.deepEqual(targets['health']!.status, { OK: grpc.did['SERVING'] });
    assert.deepEqual([targets['web']!, targets['api']!, targets['health']!].map((t) => t.totals.scheduled), [100, 80, 40]);
    assertAccounted(s.totals, 220);
    assert.equal(s.totals.ok, 220);
  } finally {
    await Promise.all([h1.close(), h2c.close(), grpc.close()]);
  }
});

test('Ctrl-C with two workers writes a complete recording: the requests in flight are unfinished, each counted once', async () => {
  let received = 0;
  const slow = (_n: number, _req: unknown, res: http.ServerResponse): string => {
    received += 1;
    setTimeout(() => answer(res, 200, '1'), 3000);
    return 'slow';
  };
  const srv = await startServer(slow);
  const path = recordingPath();
  try {
    const writer = openRecordWriter(path);
    const cut = new AbortController();
    const run = startRun({ plan: { targets: [testConfig(srv.url, { rps: 40, durationS: 10, timeoutMs: 5000 })] }, workers: 2, writer, signal: cut.signal });
    setTimeout(() => cut.abort(), 1000);
    const s = await run;
    writer.close();
    assert.ok((s.errors['unfinished'] ?? 0) > 0, 'requests in flight at Ctrl-C are recorded unfinished');
    assert.equal(s.totals.ok + s.totals.failed + s.totals.late, s.totals.scheduled);
    assert.equal(s.totals.sent, received, 'every request the server received is in the recording');
    const lines = await linesOf(path);
    assert.equal(lines.at(-1)?.type, 'footer', 'the recording is complete');
    assertOneBucketPerSecond(lines);
    assert.deepEqual((await summaryFromLines(lines))!.totals, s.totals);
  } finally {
    await srv.close();
  }
});
