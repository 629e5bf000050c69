// `zdprobe probe URL [-- command…]`: parse, run, report, exit by the gate.
import { readFileSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Option, type Command } from 'commander';
import type { ProbeConfig, Summary } from '../types.js';
import { ZdError, usage } from '../errors.js';
import { checkProbeInput, parseCount, parseDuration, parseHeader, parsePositive, parseRate, parseStatusRanges, parseUrl } from './parse.js';
import { redactCommand } from '../record/redact.js';
import { parseSource } from '../classify/tagger.js';
import { openRecordWriter, type RecordWriter } from '../record/ndjson.js';
import { BODY_CAP_BYTES, defaultMaxInFlight, startProbe, type ProbeRun } from '../run/start-probe.js';
import { runWrapped } from '../run/wrap-command.js';
import { liveReporter } from './live.js';
import { finishReport, reportFormatOption, type ReportFlags } from './output.js';
import { attachCluster, clusterOptions, type AttachedCluster, type ClusterFlags } from './cluster.js';

interface ProbeFlags extends ReportFlags, ClusterFlags {
  rps: string;
  ramp: string;
  duration?: string;
  timeout: string;
  connection: ProbeConfig['connection'];
  header: string[];
  method: string;
  data?: string;
  insecure: boolean;
  ca?: string;
  versionFrom: string;
  instanceFrom?: string;
  okStatus: string;
  maxInFlight?: string;
  record?: string;
  maxFailures: string;
  maxFailureRate?: string;
  maxP99?: string;
  expectVersion?: string;
  warmup?: string;
  settle: string;
  showHeader: string[];
}

export function registerProbe(program: Command): void {
  const cmd = program
    .command('probe')
    .description('probe a URL at a constant open-loop rate while a deploy runs, then report and gate')
    .argument('<url>', 'the URL to probe (http or https)')
    .argument('[command...]', 'a deploy command to run while probing (after --)')
    .option('--rps <n>', 'requests per second (open loop)', '30')
    .option('--ramp <duration>', 'ramp the rate up linearly over this long', '0s')
    .option('-d, --duration <duration>', 'stop after this long (default: until the command ends + settle, or Ctrl-C)')
    .option('--timeout <duration>', 'per-request deadline covering connect, headers and body', '2s')
    .addOption(new Option('--connection <mode>', 'keep-alive pool, a fresh connection per request, or alternate').choices(['reuse', 'new', 'both']).default('both'))
    .option('-H, --header <header>', "request header 'Name: value' (repeatable, Host included)", collect, [])
    .option('-X, --method <method>', 'HTTP method', 'GET')
    .option('--show-header <name>', 'show this (routing) header\'s value in recordings and reports; all but Host, Accept, User-Agent, Content-Type are hidden (repeatable)', collect, [])
    .option('--data <body>', 'request body')
    .option('-k, --insecure', 'do not verify the TLS certificate', false)
    .option('--ca <file>', 'PEM file of CA certificates to trust')
    .option('--version-from <source>', 'where the app version is: auto, body:<regex>, header:<name>, json:<path>', 'auto')
    .option('--instance-from <source>', 'where the instance (pod) name is: body:<regex>, header:<name>, json:<path>')
    .option('--ok-status <ranges>', 'statuses that count as ok', '200-399')
    .option('--max-in-flight <n>', 'concurrency cap; a request that finds it full is counted late')
    .option('--record <file>', 'write an NDJSON recording as the run goes')
    .option('--max-failures <n>', 'gate: dropped requests allowed', '0')
    .option('--max-failure-rate <rate>', 'gate: dropped share allowed, e.g. 0.1%')
    .option('--max-p99 <ms>', 'gate: p99 latency allowed in ms')
    .option('--expect-version <v>', 'gate: the final seconds must be 100% this version')
    .option('--warmup <duration>', 'probe this long before starting the command (default 5s)')
    .option('--settle <duration>', 'keep probing this long after the command ends', '10s');
  reportFormatOption(cmd);
  clusterOptions(cmd);
  cmd.action((url: string, command: string[], flags: ProbeFlags) => runProbeCommand(url, command, flags));
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function buildConfig(urlText: string, f: ProbeFlags): ProbeConfig {
  const url = parseUrl(urlText);
  const rps = parsePositive(f.rps, '--rps');
  const timeoutMs = parseDuration(f.timeout, '--timeout');
  if (timeoutMs <= 0) throw usage('--timeout must be longer than 0');
  const headers = Object.fromEntries(f.header.map(parseHeader));
  // Credentials in the URL become a Basic Authorization header (undici sends only the origin).
  if (url.username || url.password) {
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) {
      headers.Authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    }
    url.username = '';
    url.password = '';
  }
  const gate: ProbeConfig['gate'] = { maxFailures: parseCount(f.maxFailures, '--max-failures') };
  if (f.maxFailureRate !== undefined) gate.maxFailureRate = parseRate(f.maxFailureRate, '--max-failure-rate');
  if (f.maxP99 !== undefined) gate.maxP99Ms = parsePositive(f.maxP99, '--max-p99');
  if (f.expectVersion !== undefined) gate.expectVersion = f.expectVersion;
  const config: ProbeConfig = {
    url: url.href,
    rps,
    rampS: parseDuration(f.ramp, '--ramp') / 1000,
    timeoutMs,
    connection: f.connection,
    method: f.method.toUpperCase(),
    headers,
    showHeaders: f.showHeader,
    insecure: f.insecure,
    versionFrom: parseSource(f.versionFrom, '--version-from'),
    okStatus: parseStatusRanges(f.okStatus, '--ok-status'),
    maxInFlight: f.maxInFlight ? parsePositive(f.maxInFlight, '--max-in-flight', { integer: true }) : defaultMaxInFlight(rps, timeoutMs),
    bodyCapBytes: BODY_CAP_BYTES,
    gate,
  };
  if (f.duration !== undefined) config.durationS = parseDuration(f.duration, '--duration') / 1000;
  if (f.data !== undefined) config.data = f.data;
  if (f.instanceFrom) config.instanceFrom = parseSource(f.instanceFrom, '--instance-from');
  if (f.ca) config.ca = readCa(f.ca);
  return config;
}

function readCa(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw usage(`--ca ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
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

async function runProbeCommand(urlText: string, command: string[], flags: ProbeFlags): Promise<void> {
  checkProbeInput(command, flags);
  const config = buildConfig(urlText, flags);
  const warmupMs = command.length ? parseDuration(flags.warmup ?? '5s', '--warmup') : 0;
  const settleMs = parseDuration(flags.settle, '--settle');
  await checkResolvable(new URL(config.url));
  const writer = flags.record ? openRecordWriter(flags.record) : undefined;
  const live = liveReporter(process.stderr);
  const run = startProbe(config, { ...(writer ? { writer } : {}), onSecond: live.second });
  const stopSignals = handleSignals(run, writer);
  let cluster: AttachedCluster;
  try {
    cluster = await attachCluster(flags, run);
  } catch (err) {
    run.stop();
    throw err;
  }
  const wrapped = command.length ? wrapCommand(command, run, warmupMs, settleMs) : undefined;
  let core = await run.done;
  stopSignals();
  if (wrapped && (await wrapped.finish())) core = { ...run.summarizer.summary(core.endedAt), complete: true };
  live.end();
  const summary: Summary = await cluster.finish(core);
  writer?.close();
  await finishReport(summary, flags);
  const recordProblem = writer?.problem();
  if (recordProblem) process.stderr.write(`zdprobe: ${recordProblem}\n`);
  process.exitCode = recordProblem ? 3 : exitCodeFor(summary);
}

function exitCodeFor(s: Summary): number {
  const connectionOnly = Object.keys(s.status).length === 0 && Object.keys(s.errors).every((e) => ['refused', 'dns', 'tls'].includes(e));
  if (s.totals.sent > 0 && connectionOnly) {
    process.stderr.write(`zdprobe: could not run: the target never answered (${Object.entries(s.errors).map(([k, n]) => `${n}× ${k}`).join(', ')})\n`);
    return 3;
  }
  return s.gate.passed ? 0 : 1;
}

function wrapCommand(argv: string[], run: ProbeRun, warmupMs: number, settleMs: number): { finish(): Promise<boolean> } {
  let settle: NodeJS.Timeout | undefined;
  let child: ReturnType<typeof runWrapped> | undefined;
  let recorded: Promise<void> | undefined;
  const start = setTimeout(() => {
    child = runWrapped(argv, process.stderr);
    recorded = child.result.then((result) => {
      run.emit({ type: 'command', command: redactCommand(result) });
      if (run.stopped()) return;
      process.stderr.write(`zdprobe: command exited with ${result.exitCode ?? result.signal}; settling for ${settleMs / 1000} s\n`);
      settle = setTimeout(() => run.stop(), settleMs);
    });
  }, warmupMs);
  return {
    /** Ends the command if the run ended first (it then counts as not finished); true when it had to. */
    async finish() {
      clearTimeout(start);
      if (settle) clearTimeout(settle);
      if (!child || !recorded) return false;
      const late = child.running();
      if (late) child.kill('SIGTERM');
      await recorded;
      return late;
    },
  };
}

/** First Ctrl-C/SIGTERM: stop and report. Second: flush the recording and exit at once. */
function handleSignals(run: ProbeRun, writer: RecordWriter | undefined): () => void {
  let count = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    count += 1;
    if (count === 1) {
      process.stderr.write(`\nzdprobe: ${sig}: stopping; waiting for requests in flight (Ctrl-C again to quit now)\n`);
      run.stop();
      return;
    }
    writer?.flush();
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
