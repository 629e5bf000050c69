// One adapter per tool: how to ask it for `rps` for `durS` seconds, and how to read its own report.
// Every adapter returns the same plain shape: { sent, ok, p50, p99, max } (latencies in ms).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_HOME = process.env.ZD_BENCH_HOME ?? join(homedir(), '.cache/zdprobe/bench');
export const REPO = join(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(BENCH_HOME, 'bin');

function which(name) {
  const own = join(BIN, name);
  if (existsSync(own)) return own;
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

/** Connections for tools that keep one request in flight per connection: enough that they are never the limit. */
export const connsFor = (rps) => Math.min(200, Math.max(2, Math.ceil(rps / 100)));

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const sumValues = (o) => Object.values(o ?? {}).reduce((a, b) => a + Number(b), 0);
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const firstLine = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 }).trim().split('\n')[0];
  } catch (err) {
    return String(err.stdout ?? err.stderr ?? '').trim().split('\n')[0] || 'unknown';
  }
};
/** Versions the install script recorded for tools built from a pinned module. */
const pinned = (name) => {
  try {
    const line = readFileSync(join(BENCH_HOME, 'versions.txt'), 'utf8').split('\n').find((l) => l.startsWith(`${name} `));
    return line?.slice(name.length + 1).trim();
  } catch {
    return undefined;
  }
};

const zdprobe = {
  name: 'zdprobe',
  loop: 'open',
  rateControl: 'timer pacer: request n is due at n/rps; each wake-up fires every due request, never waits for responses',
  bin: () => join(REPO, 'bin/zdprobe.js'),
  version: () => `${JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version} (${firstLine('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD'])})`,
  argv: ({ url, rps, durS, out }) => [process.execPath, join(REPO, 'bin/zdprobe.js'), 'probe', url, '--rps', String(rps), '-d', `${durS}s`, '--connection', 'reuse', '--json', out],
  parse: ({ out }) => {
    const s = readJson(out);
    return { sent: s.totals.sent, ok: s.totals.ok, late: s.totals.late, p50: s.latencyMs.p50, p99: s.latencyMs.p99, max: s.latencyMs.max, lagP99: s.sendLagMs?.p99 };
  },
};

const vegeta = {
  name: 'vegeta',
  loop: 'open',
  rateControl: 'constant pacer; a pool of workers (grows without bound by default) takes ticks, so a slow response never delays the schedule',
  bin: () => which('vegeta'),
  version: () => pinned('vegeta') ?? firstLine(which('vegeta'), ['-version']),
  prepare: ({ url, tmp }) => writeFileSync(join(tmp, 'targets'), `GET ${url}\n`),
  argv: ({ rps, durS, out, tmp }) => [which('vegeta'), 'attack', `-rate=${rps}/s`, `-duration=${durS}s`, `-targets=${join(tmp, 'targets')}`, `-output=${out}`],
  parse: ({ out }) => {
    const r = JSON.parse(execFileSync(which('vegeta'), ['report', '-type=json', out], { encoding: 'utf8', maxBuffer: 1 << 26 }));
    const ns = (v) => (num(v) !== undefined ? v / 1e6 : undefined);
    return { sent: r.requests, ok: Number(r.status_codes?.['200'] ?? 0), p50: ns(r.latencies['50th']), p99: ns(r.latencies['99th']), max: ns(r.latencies.max) };
  },
};

const fortio = {
  name: 'fortio',
  loop: 'closed per connection, with catch-up',
  rateControl: '-qps split over -c goroutines; each sleeps to its own schedule, waits for its response, then catches up if behind',
  bin: () => which('fortio'),
  version: () => pinned('fortio') ?? firstLine(which('fortio'), ['version']),
  argv: ({ url, rps, durS, out }) => [which('fortio'), 'load', '-quiet', '-uniform', '-qps', String(rps), '-c', String(connsFor(rps)), '-t', `${durS}s`, '-p', '50,99', '-json', out, url],
  parse: ({ out }) => {
    const r = readJson(out);
    const h = r.DurationHistogram;
    const pct = (p) => (h.Percentiles ?? []).find((x) => x.Percentile === p)?.Value * 1000;
    return { sent: h.Count, ok: Number(r.RetCodes?.['200'] ?? 0), p50: pct(50), p99: pct(99), max: h.Max * 1000 };
  },
};

const oha = {
  name: 'oha',
  loop: 'closed per connection, global rate',
  rateControl: '-q paces a shared queue of request slots consumed by -c connections; --latency-correction measures from the slot time',
  bin: () => which('oha'),
  version: () => firstLine(which('oha'), ['--version']),
  argv: ({ url, rps, durS }) => [which('oha'), '--no-tui', '--output-format', 'json', '--latency-correction', '-z', `${durS}s`, '-q', String(rps), '-c', String(connsFor(rps)), url],
  parse: ({ stdout }) => {
    const r = JSON.parse(stdout);
    const s = (v) => (num(v) !== undefined ? v * 1000 : undefined);
    const codes = r.statusCodeDistribution ?? {};
    return { sent: sumValues(codes) + sumValues(r.errorDistribution), ok: Number(codes['200'] ?? 0), p50: s(r.latencyPercentiles?.p50), p99: s(r.latencyPercentiles?.p99), max: s(r.summary?.slowest) };
  },
};

const autocannon = {
  name: 'autocannon',
  loop: 'closed per connection, per-second budget',
  rateControl: '-R is split over -c connections; each connection sends until its per-second count is used, then waits for a 1 s interval to reset it',
  bin: () => (existsSync(join(BENCH_HOME, 'node_modules/autocannon/autocannon.js')) ? join(BENCH_HOME, 'node_modules/autocannon/autocannon.js') : undefined),
  version: () => firstLine(process.execPath, [join(BENCH_HOME, 'node_modules/autocannon/autocannon.js'), '--version']),
  argv: ({ url, rps, durS }) => [process.execPath, join(BENCH_HOME, 'node_modules/autocannon/autocannon.js'), '--json', '-R', String(rps), '-c', String(connsFor(rps)), '-d', String(durS), url],
  parse: ({ stdout }) => {
    const r = JSON.parse(stdout.slice(stdout.indexOf('{')));
    // requests.sent also counts requests still unanswered when the run stops; total is the completed ones.
    return { sent: r.requests.total, ok: r['2xx'], p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max };
  },
};

const hey = {
  name: 'hey',
  loop: 'closed per worker',
  rateControl: '-q is per worker: each of -c workers waits on its own ticker, then sends and waits for the response',
  bin: () => which('hey'),
  version: () => { try { return execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'hey'], { encoding: 'utf8' }); } catch { return 'unknown'; } },
  argv: ({ url, rps, durS }) => {
    const c = connsFor(rps);
    return [which('hey'), '-z', `${durS}s`, '-c', String(c), '-q', String(Math.round(rps / c)), url];
  },
  /** hey's -q is a whole number per worker, so the asked total is rounded to a multiple of -c. */
  effectiveRps: (rps) => Math.round(rps / connsFor(rps)) * connsFor(rps),
  parse: ({ stdout }) => {
    const pct = (p) => { const m = new RegExp(`\\s${p}% in ([\\d.]+) secs`).exec(stdout); return m ? Number(m[1]) * 1000 : undefined; };
    const codes = [...stdout.matchAll(/\[(\d+)\]\s+(\d+) responses/g)];
    const slowest = /Slowest:\s+([\d.]+) secs/.exec(stdout);
    const errPart = stdout.split('Error distribution:')[1] ?? '';
    const errors = [...errPart.matchAll(/\[(\d+)\]/g)].reduce((a, m) => a + Number(m[1]), 0);
    const ok = Number(codes.find((m) => m[1] === '200')?.[2] ?? 0);
    return { sent: codes.reduce((a, m) => a + Number(m[2]), 0) + errors, ok, p50: pct(50), p99: pct(99), max: slowest ? Number(slowest[1]) * 1000 : undefined };
  },
};

const bombardier = {
  name: 'bombardier',
  loop: 'closed per connection, token bucket',
  rateControl: '--rate is a shared token bucket (juju/ratelimit) taken by -c connections before each request',
  bin: () => which('bombardier'),
  version: () => pinned('bombardier') ?? firstLine(which('bombardier'), ['--version']),
  argv: ({ url, rps, durS }) => [which('bombardier'), '-c', String(connsFor(rps)), '-d', `${durS}s`, '--rate', String(rps), '-l', '-o', 'json', '-p', 'r', url],
  parse: ({ stdout }) => {
    const r = JSON.parse(stdout.slice(stdout.indexOf('{'))).result;
    const us = (v) => (num(v) !== undefined ? v / 1000 : undefined);
    const sent = r.req1xx + r.req2xx + r.req3xx + r.req4xx + r.req5xx + r.others;
    return { sent, ok: r.req2xx, p50: us(r.latency.percentiles?.['50']), p99: us(r.latency.percentiles?.['99']), max: us(r.latency.max) };
  },
};

/** Closed loop, no rate option: only its ceiling is measured, as a reference for what nginx can serve here. */
export const wrk = {
  name: 'wrk',
  loop: 'closed (no rate option)',
  rateControl: 'none: each connection sends its next request when the previous response arrives',
  bin: () => which('wrk'),
  version: () => { try { return execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'wrk'], { encoding: 'utf8' }); } catch { return 'unknown'; } },
  argv: ({ url, durS, conns }) => [which('wrk'), '-t1', `-c${conns}`, `-d${durS}s`, '--latency', url],
  parse: ({ stdout }) => {
    const total = /(\d+) requests in/.exec(stdout);
    const ms = (label) => { const m = new RegExp(`\\s${label}%\\s+([\\d.]+)(us|ms|s)`).exec(stdout); return m ? Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]] : undefined; };
    return { sent: total ? Number(total[1]) : undefined, p50: ms('50'), p99: ms('99') };
  },
};

/** Rate-capable tools, zdprobe first. */
// No AGPL peer: its licence rules a tool out here, even for benchmarks (see RESULTS.md).
export const RATE_TOOLS = [zdprobe, vegeta, oha, fortio, autocannon, bombardier, hey];
