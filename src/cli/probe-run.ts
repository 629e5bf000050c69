// `zdprobe probe URL [-- command…]` once its flags are parsed: build the targets, run, report, exit by the gate.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { ProbeConfig, Summary } from '../types.js';
import { ZdError, usage } from '../errors.js';
import { checkProbeInput, parseListenAddress, parseCount, parseDuration, parseHeader, parsePositive, parseRate, parseStatusRanges, parseUrl, parseWorkers, readCa, readClientCert } from './parse.js';
import { parseSource } from '../classify/tagger.js';
// The run's own modules, not the run/index.js API: that also holds the readers, the merge and the
// Prometheus metrics (prom-client), none of which a probe without --metrics-addr uses.
import { startRun } from '../run/start-run.js';
import { PROBE_DEFAULTS, probeConfig } from '../run/probe-config.js';
import { checkCommand, type CommandPlan } from '../run/wrap-command.js';
import { openRecordWriter, type RecordWriter } from '../record/ndjson.js';
import { liveReporter } from './live.js';
import { parseTargetFlag, readPlan, shardOf } from './plan.js';
import { isGrpcMethod, parseProtocol, withProtocol } from './protocol.js';
import { finishReport } from './output.js';
import { scopeOf } from './cluster.js';
import type { ProbeFlags } from './probe.js';

export function buildConfig(urlText: string, f: ProbeFlags): ProbeConfig {
  const url = parseUrl(urlText);
  const rps = parsePositive(f.rps, '--rps');
  const timeoutMs = parseDuration(f.timeout, '--timeout');
  if (timeoutMs <= 0) throw usage('--timeout must be longer than 0');
  const headers = Object.fromEntries(f.header.map(parseHeader));
  const gate: ProbeConfig['gate'] = {};
  if (f.maxFailures !== undefined) gate.maxFailures = parseCount(f.maxFailures, '--max-failures');
  if (f.maxFailureRate !== undefined) gate.maxFailureRate = parseRate(f.maxFailureRate, '--max-failure-rate');
  if (f.maxP99 !== undefined) gate.maxP99Ms = parsePositive(f.maxP99, '--max-p99');
  if (f.expectVersion !== undefined) gate.expectVersion = f.expectVersion;
  const config = probeConfig({
    url: url.href,
    rps,
    rampS: parseDuration(f.ramp, '--ramp') / 1000,
    timeoutMs,
    connection: f.connection,
    method: isGrpcMethod(f.method) ? PROBE_DEFAULTS.method : f.method.toUpperCase(),
    headers,
    showHeaders: f.showHeader,
    insecure: f.insecure,
    versionFrom: parseSource(f.versionFrom, '--version-from'),
    okStatus: parseStatusRanges(f.okStatus, '--ok-status'),
    gate,
  });
  if (f.maxInFlight) config.maxInFlight = parsePositive(f.maxInFlight, '--max-in-flight', { integer: true });
  if (f.duration !== undefined) config.durationS = parseDuration(f.duration, '--duration') / 1000;
  if (f.data !== undefined) config.data = f.data;
  if (f.instanceFrom) config.instanceFrom = parseSource(f.instanceFrom, '--instance-from');
  if (f.ca) config.ca = readCa(f.ca);
  if (f.cert !== undefined || f.key !== undefined) Object.assign(config, readClientCert(f.cert, f.key));
  const protocol = parseProtocol(f.protocol, '--protocol');
  // The placeholder of a plan's run flags: each target is checked against its own URL.
  if (urlText === PLACEHOLDER_URL) return { ...config, ...(protocol !== 'auto' ? { protocol } : {}), ...(isGrpcMethod(f.method) ? { grpcMethod: f.method, method: 'GET' } : {}) };
  return withCredentials(withProtocol(config, protocol, f.method, urlText));
}

async function checkResolvable(url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return;
  try {
    await lookup(host);
  } catch (err) {
    throw new ZdError('unreachable', `cannot resolve host "${host}" (${(err as NodeJS.ErrnoException).code ?? 'lookup failed'}): check the URL or use the IP with -H 'Host: ${host}'`);
  }
}

function commandPlan(command: string[], flags: ProbeFlags, durationS: number | undefined): CommandPlan | undefined {
  if (!command.length) return undefined;
  checkCommand(command);
  const warmupMs = parseDuration(flags.warmup ?? `${PROBE_DEFAULTS.warmupMs}ms`, '--warmup');
  if (durationS !== undefined && durationS * 1000 <= warmupMs) {
    throw usage(`--duration ${durationS}s ends the run before the command would start (--warmup ${warmupMs / 1000}s): make --duration longer than --warmup`);
  }
  return { argv: command, warmupMs, settleMs: parseDuration(flags.settle, '--settle'), output: process.stderr };
}

/** The run's targets: the URL argument, or a plan's (then every positional argument is the command's). */
async function targetsOf(url: string | undefined, command: string[], flags: ProbeFlags): Promise<{ targets: ProbeConfig[]; command: string[] }> {
  if (flags.plan === undefined && flags.target.length === 0) {
    if (url === undefined) throw usage('give the URL to probe, e.g. zdprobe probe http://127.0.0.1:8080/ (or several targets with --plan FILE or --target NAME=URL)');
    return { targets: [buildConfig(url, flags)], command };
  }
  if (flags.plan !== undefined && flags.target.length) throw usage('use either --plan or --target, not both');
  if (url !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(url)) throw usage(`"${url}": with --plan or --target the URLs come from them; drop the URL argument`);
  const base = buildConfig(PLACEHOLDER_URL, flags);
  const all = url === undefined ? command : [url, ...command];
  if (flags.target.length) return { targets: flags.target.map((t) => withCredentials(parseTargetFlag(t, base))), command: all };
  const plan = await readPlan(flags.plan!, base);
  const durationS = flags.duration === undefined ? plan.durationS : base.durationS;
  const targets = plan.targets.map((t) => withCredentials({ ...t, ...(durationS === undefined ? {} : { durationS }) }));
  return { targets, command: all };
}

/** Stands in for the URL while the run's flags are read; every target has its own. */
const PLACEHOLDER_URL = 'http://target.invalid/';

export async function runProbeCommand(urlText: string | undefined, commandArgs: string[], flags: ProbeFlags): Promise<void> {
  const { targets: whole, command } = await targetsOf(urlText, commandArgs, flags);
  checkProbeInput(command, flags);
  const targets = shardOf(whole, flags.shard);
  const config = targets[0]!;
  const cmd = commandPlan(command, flags, config.durationS);
  const until = untilRollout(flags, cmd);
  for (const t of targets) await checkResolvable(new URL(t.url));
  const metricsAt = flags.metricsAddr === undefined ? undefined : parseListenAddress(flags.metricsAddr, '--metrics-addr');
  const lingerMs = parseDuration(flags.metricsLinger, '--metrics-linger');
  const workers = flags.workers === undefined ? undefined : parseWorkers(flags.workers, '--workers');
  const writer = flags.record ? openRecordWriter(flags.record, optional('marker', flags.recordMarker)) : undefined;
  // prom-client loads only when the metrics are served.
  const metrics = metricsAt ? await (await import('../run/serve-metrics.js')).serveMetrics(metricsAt) : undefined;
  if (metrics) process.stderr.write(`zdprobe: metrics at ${metrics.url}\n`);
  const live = liveReporter(process.stderr);
  const stop = new AbortController();
  const stopSignals = handleSignals(stop, writer);
  let summary: Summary | undefined;
  try {
    summary = await startRun({
      plan: { targets },
      ...optional('scope', scopeOf(flags)),
      ...optional('command', cmd),
      ...optional('untilRollout', until),
      ...optional('writer', writer),
      ...optional('metrics', metrics?.metrics),
      ...optional('workers', workers),
      signal: stop.signal,
      onSecond: live.second,
      log: (line) => process.stderr.write(`zdprobe: ${line}\n`),
    });
  } finally {
    stopSignals();
    live.end();
    writer?.close();
    if (!summary) await metrics?.close();
  }
  try {
    await finishReport(summary, flags);
  } finally {
    await metrics?.close(lingerMs);
  }
  const recordProblem = writer?.problem();
  if (recordProblem) process.stderr.write(`zdprobe: ${recordProblem}\n`);
  process.exitCode = recordProblem ? 3 : exitCodeFor(summary);
}

/** --until rollout-complete: only with a watched Deployment or Rollout, and instead of a command. */
function untilRollout(flags: ProbeFlags, cmd: CommandPlan | undefined): { settleMs: number } | undefined {
  if (flags.until === undefined) return undefined;
  if (cmd) throw usage('--until rollout-complete is for runs without a deploy command: the command already ends the run');
  if (!flags.deployment && !flags.rollout) throw usage('--until rollout-complete needs the rollout to follow: add --deployment NAME or --rollout kruise/NAME|argo/NAME');
  if (!flags.watch) throw usage('--until rollout-complete needs the cluster watch: drop --no-watch');
  return { settleMs: parseDuration(flags.settle, '--settle') };
}

/** `{key: value}` when the value is defined, `{}` otherwise (exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

function exitCodeFor(s: Summary): number {
  // no connection ever negotiated a protocol (a grpc:// target then answers UNAVAILABLE, not an error class)
  const neverConnected = Object.values(s.targets).every((t) => t.protocol === 'none');
  const connectionOnly = neverConnected || (Object.keys(s.status).length === 0 && Object.keys(s.errors).every((e) => ['refused', 'dns', 'tls'].includes(e)));
  if (s.totals.sent > 0 && connectionOnly) {
    process.stderr.write(`zdprobe: could not run: the target never answered (${Object.entries({ ...s.status, ...s.errors }).map(([k, n]) => `${n}× ${k}`).join(', ')})\n`);
    return 3;
  }
  return s.gate.passed ? 0 : 1;
}

const SIGNAL_NUMBER: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGTERM: 15 };

/** First Ctrl-C/SIGTERM: stop and report. Second: flush the recording and exit at once (128+signal). */
function handleSignals(stop: AbortController, writer: RecordWriter | undefined): () => void {
  let count = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    count += 1;
    if (count === 1) {
      process.stderr.write(`\nzdprobe: ${sig}: stopping; waiting for requests in flight (Ctrl-C again to quit now)\n`);
      stop.abort();
      return;
    }
    writer?.flush();
    process.exit(128 + (SIGNAL_NUMBER[sig] ?? 2));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/** Credentials in the URL become a Basic Authorization header (undici sends only the origin). */
function withCredentials(config: ProbeConfig): ProbeConfig {
  const url = new URL(config.url);
  if (!url.username && !url.password) return config;
  const headers = { ...config.headers };
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) {
    headers['Authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  }
  url.username = '';
  url.password = '';
  return { ...config, url: url.href, headers };
}
