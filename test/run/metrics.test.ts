// --metrics-addr: the Prometheus endpoint, scraped while a run against a real local server goes and
// at its end; at the end its counters equal the summary's totals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRun, serveMetrics } from '../../src/run/index.js';
import { startServer, statuses } from '../helpers/servers.js';
import { testConfig } from '../helpers/probe-config.js';
import { runCli } from '../helpers/cli.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus text exposition -> samples (comments skipped). */
function parseExposition(text: string): Sample[] {
  return text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(l);
    assert.ok(m, `an exposition line: ${l}`);
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1]!, x[2]!]));
    return { name: m[1]!, labels, value: Number(m[3]) };
  });
}

const sum = (samples: Sample[], name: string, where: Record<string, string> = {}): number =>
  samples.filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);

async function scrape(url: string): Promise<{ samples: Sample[]; type: string }> {
  const res = await fetch(url);
  assert.equal(res.status, 200);
  return { samples: parseExposition(await res.text()), type: res.headers.get('content-type') ?? '' };
}

test('the metrics scraped mid-run grow, and at the end equal the summary totals by result and mode', async () => {
  const srv = await startServer(statuses([200, 200, 200, 503]));
  const metrics = await serveMetrics({ host: '127.0.0.1', port: 0 });
  const midRun: Array<Promise<{ samples: Sample[] }>> = [];
  try {
    const summary = await startRun({
      plan: { targets: [testConfig(srv.url, { rps: 40, durationS: 3, connection: 'both' })] },
      metrics: metrics.metrics,
      onSecond: () => void midRun.push(scrape(metrics.url)),
    });
    const end = await scrape(metrics.url);
    assert.match(end.type, /^text\/plain; version=0\.0\.4/);
    const s = end.samples;
    assert.equal(sum(s, 'zdprobe_scheduled_total', { target: 'default' }), summary.totals.scheduled);
    assert.equal(sum(s, 'zdprobe_requests_total'), summary.totals.scheduled, 'every scheduled request is counted once');
    for (const outcome of ['ok', 'failed', 'late'] as const) assert.equal(sum(s, 'zdprobe_requests_total', { outcome }), summary.totals[outcome], outcome);
    assert.equal(sum(s, 'zdprobe_late_requests_total'), summary.totals.late);
    for (const [status, n] of Object.entries(summary.status)) assert.equal(sum(s, 'zdprobe_requests_total', { result: status }), n, `status ${status}`);
    assert.deepEqual(summary.status, srv.did, 'the summary is the server log');
    for (const mode of ['reuse', 'new']) assert.equal(sum(s, 'zdprobe_requests_total', { connection: mode }), summary.totals.scheduled / 2, `${mode} connections`);
    assert.equal(sum(s, 'zdprobe_request_duration_seconds_count'), summary.totals.sent, 'every answered request is in the latency histogram');
    assert.equal(sum(s, 'zdprobe_request_duration_seconds_bucket', { le: '+Inf' }), summary.totals.sent);
    assert.ok(s.some((x) => x.name === 'zdprobe_prober_event_loop_delay_max_seconds'), 'the prober event-loop delay is exposed');
    const during = (await Promise.all(midRun)).map((r) => sum(r.samples, 'zdprobe_requests_total'));
    assert.ok(during.length >= 2, 'scraped at least twice while running');
    assert.ok(during.some((n) => n > 0 && n < summary.totals.scheduled), `a mid-run scrape saw part of the run: ${during.join(', ')}`);
    assert.deepEqual([...during].sort((a, b) => a - b), during, 'counters only grow');
  } finally {
    await metrics.close();
    await srv.close();
  }
});

test('probe --metrics-addr serves while running, and with --metrics-linger its last scrape equals the --json summary', async () => {
  const srv = await startServer(statuses([200, 200, 502]));
  let url: string | undefined;
  let midRun: number | undefined;
  let last: Sample[] | undefined;
  try {
    const r = await runCli(['probe', srv.url, '--rps', '20', '-d', '3s', '--metrics-addr', '127.0.0.1:0', '--metrics-linger', '3s', '--format', 'json'], {
      onSpawn: (child) => {
        child.stderr!.on('data', (d: Buffer) => {
          const m = /metrics at (\S+)/.exec(String(d));
          if (!m || url) return;
          url = m[1]!;
          // scraped once the first complete second is counted
          const poll = (): void => void scrape(url!).then(({ samples }) => {
            const n = sum(samples, 'zdprobe_requests_total');
            if (n > 0) midRun = n;
            else setTimeout(poll, 200);
          });
          poll();
        });
        // the report is out: the run is over and the server lingers
        child.stdout!.on('data', () => void scrape(url!).then(({ samples }) => (last = samples), () => undefined));
      },
    });
    assert.equal(r.code, 1, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.match(url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    assert.ok(midRun !== undefined && midRun > 0 && midRun < s.totals.scheduled, `mid-run scrape: ${midRun}`);
    assert.ok(last, 'scraped after the report, while the server lingered');
    for (const outcome of ['ok', 'failed', 'late'] as const) assert.equal(sum(last, 'zdprobe_requests_total', { outcome }), s.totals[outcome], outcome);
    assert.equal(sum(last, 'zdprobe_requests_total', { result: '502' }), srv.did['502']);
  } finally {
    await srv.close();
  }
});

test('a bad --metrics-addr is one line, exit 2', async () => {
  const r = await runCli(['probe', 'http://127.0.0.1:1/', '--metrics-addr', 'localhost']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /--metrics-addr "localhost": give host:port/);
});
