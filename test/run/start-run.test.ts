import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRun } from '../../src/run/index.js';
import { answer, flipping, hanging, refusedUrl, resetting, startServer, statuses } from '../helpers/servers.js';
import { testConfig } from '../helpers/probe-config.js';
import type { ProbeConfig, Summary } from '../../src/types.js';

const runOnce = (config: ProbeConfig): Promise<Summary> => startRun({ plan: { targets: [config] } });
const sum = (m: Record<string, number>): number => Object.values(m).reduce((a, b) => a + b, 0);

function assertAccounted(s: Summary, scheduled: number): void {
  assert.equal(s.totals.scheduled, scheduled, 'every scheduled request is in the totals');
  assert.equal(s.totals.ok + s.totals.failed + s.totals.late, scheduled, 'each counted exactly once');
  assert.equal(s.totals.sent, sum(s.status) + sum(s.errors), 'every sent request has a status or an error');
  assert.equal(s.timeline.reduce((a, p) => a + p.scheduled, 0), scheduled, 'the timeline adds up');
}

test('a server that flips from version 1 to 2 is seen flipping once, with exact counts', async () => {
  const srv = await startServer(flipping(20));
  try {
    const s = await runOnce(testConfig(srv.url));
    assertAccounted(s, 50);
    assert.deepEqual(s.versions, { 1: 20, 2: 30 });
    assert.deepEqual(s.flips.map((f) => [f.from, f.to, f.back]), [[null, '1', false], ['1', '2', false]]);
    assert.equal(s.gate.passed, true);
    assert.ok(s.versionSpans[0]!.lastSeen <= s.versionSpans[1]!.firstSeen);
  } finally {
    await srv.close();
  }
});

test('502, 503 and 504 responses are counted exactly as the server sent them', async () => {
  const srv = await startServer(statuses([200, 502, 200, 503, 504]));
  try {
    const s = await runOnce(testConfig(srv.url));
    assertAccounted(s, 50);
    assert.deepEqual(s.status, srv.did);
    assert.equal(s.totals.failed, (srv.did['502'] ?? 0) + (srv.did['503'] ?? 0) + (srv.did['504'] ?? 0));
    assert.equal(s.gate.passed, false);
    assert.match(s.gate.reasons[0]!, /30 requests dropped/);
  } finally {
    await srv.close();
  }
});

test('connections reset by the server are classified as reset, one per reset', async () => {
  const srv = await startServer(resetting(5));
  try {
    const s = await runOnce(testConfig(srv.url));
    assertAccounted(s, 50);
    assert.equal(s.errors.reset, srv.did.reset);
    assert.equal(s.status['200'], srv.did['200']);
  } finally {
    await srv.close();
  }
});

test('a server that hangs past the timeout gives timeouts measured from the intended time', async () => {
  const srv = await startServer(hanging);
  try {
    const s = await runOnce(testConfig(srv.url, { rps: 20, timeoutMs: 300 }));
    assertAccounted(s, 20);
    assert.deepEqual(s.errors, { timeout: 20 });
    assert.ok(s.latencyMs.p50 >= 300, `latency ${s.latencyMs.p50} covers the whole timeout`);
  } finally {
    await srv.close();
  }
});

test('a port that refuses connections gives refused errors', async () => {
  const s = await runOnce(testConfig(await refusedUrl(), { rps: 20 }));
  assertAccounted(s, 20);
  assert.deepEqual(s.errors, { refused: 20 });
  assert.deepEqual(s.status, {});
  assert.equal(s.failures.length, 20);
  assert.match(s.failures[0]!.remote ?? '', /^127\.0\.0\.1:\d+$/);
});

test('requests that find --max-in-flight full are counted late, never dropped', async () => {
  const srv = await startServer(hanging);
  try {
    const s = await runOnce(testConfig(srv.url, { rps: 20, timeoutMs: 1500, maxInFlight: 5 }));
    assertAccounted(s, 20);
    assert.equal(s.totals.late, 15);
    assert.equal(s.errors.timeout, 5);
    assert.equal(s.gate.passed, false);
  } finally {
    await srv.close();
  }
});

test('--connection both alternates modes and reports them separately', async () => {
  const srv = await startServer(flipping(1000));
  try {
    const s = await runOnce(testConfig(srv.url, { rps: 40 }));
    assert.equal(s.modes.reuse?.scheduled, 20);
    assert.equal(s.modes.new?.scheduled, 20);
  } finally {
    await srv.close();
  }
});

test('a prober stall is recorded as the prober\'s, and the late requests it caused name it', async () => {
  // Block this process's event loop for 1.2 s in the middle of the run (at the server's 40th request,
  // about 1 s in, so a slow start cannot move it before time zero): requests fall due meanwhile and
  // find the one in-flight slot taken when the loop comes back.
  const srv = await startServer((n, req, res) => {
    if (n === 40) setImmediate(() => { const until = Date.now() + 1200; while (Date.now() < until); });
    return flipping(1e9)(n, req, res);
  });
  try {
    const s = await runOnce(testConfig(srv.url, { rps: 40, durationS: 3, maxInFlight: 1 }));
    assertAccounted(s, 120);
    assert.ok(s.prober, 'the prober\'s health is in the summary');
    assert.ok(s.prober.stalls.length >= 1, `a stall was seen (max loop delay ${s.prober.loopDelayMs.max} ms)`);
    assert.ok(s.prober.loopDelayMs.max >= 1000);
    const blamed = s.incidents.filter((i) => i.causes[0]?.id === 'prober-stall');
    assert.ok(s.totals.late > 0, 'requests that fell due during the stall were late');
    assert.ok(blamed.length > 0, `the failure window names the prober: ${JSON.stringify(s.incidents.map((i) => i.causes.map((c) => c.id)))}`);
  } finally {
    await srv.close();
  }
});

test('the live view shows the second that just passed, even while its requests are still in flight', async () => {
  // Every response takes 2.5 s: a second is complete (and recorded) only about 3 s after it began.
  const srv = await startServer((_n, _req, res) => {
    setTimeout(() => answer(res, 200, '1'), 2500);
    return '200';
  });
  try {
    const seen: Array<{ at: number; t: number | undefined }> = [];
    const s = await startRun({
      plan: { targets: [testConfig(srv.url, { rps: 10, durationS: 5, timeoutMs: 5000 })] },
      onSecond: (point) => seen.push({ at: Date.now(), t: point?.t }),
    });
    assertAccounted(s, 50);
    const during = seen.filter((x) => x.at < s.startedAt + 5000);
    assert.ok(during.length >= 3, `the live view was called each second (${during.length})`);
    for (const x of during.slice(1)) {
      const behind = Math.floor((x.at - s.startedAt) / 1000) - 1 - (x.t ?? -1);
      // (a tick on the edge of a second may read the clock a hair apart from this callback: 1 s slack;
      // a view that waited for complete seconds would be 3 s behind)
      assert.ok(behind <= 1, `the live view lagged ${behind} s behind the last second that passed`);
    }
  } finally {
    await srv.close();
  }
});

test('a planned end (`end`) lets requests in flight finish; an interruption (`signal`) records them unfinished', async () => {
  // Every answer takes 1.5 s: when the run ends at 1 s, requests are still in flight.
  const slow = (n: number, _req: unknown, res: import('node:http').ServerResponse): string => {
    setTimeout(() => answer(res, 200, '1'), 1500);
    return 'slow';
  };
  const srv = await startServer(slow);
  try {
    const ended = new AbortController();
    const planned = startRun({ plan: { targets: [testConfig(srv.url, { rps: 10, durationS: 10, timeoutMs: 5000 })] }, end: ended.signal });
    setTimeout(() => ended.abort(), 1000);
    const a = await planned;
    assert.equal(a.errors['unfinished'], undefined, 'nothing cut at a planned end');
    assert.equal(a.totals.failed, 0);
    assert.equal(a.totals.ok, a.totals.scheduled);

    const cut = new AbortController();
    const interrupted = startRun({ plan: { targets: [testConfig(srv.url, { rps: 10, durationS: 10, timeoutMs: 5000 })] }, signal: cut.signal });
    setTimeout(() => cut.abort(), 1000);
    const b = await interrupted;
    assert.ok((b.errors['unfinished'] ?? 0) > 0, 'requests in flight at Ctrl-C are recorded unfinished');
    assert.equal(b.totals.ok + b.totals.failed + b.totals.late, b.totals.scheduled);
  } finally {
    await srv.close();
  }
});
