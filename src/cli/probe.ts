// `zdprobe probe URL [-- command…]`: its flags and help; parsing, running and reporting are in probe-run.ts.
import { Option, type Command } from 'commander';
import type { ProbeConfig } from '../types.js';
import { PROBE_DEFAULTS } from '../run/probe-config.js';
import { reportFormatOption, type ReportFlags } from './output.js';
import { clusterOptions, type ClusterFlags } from './cluster.js';

export interface ProbeFlags extends ReportFlags, ClusterFlags {
  until?: 'rollout-complete';
  plan?: string;
  target: string[];
  rps: string;
  ramp: string;
  duration?: string;
  timeout: string;
  connection: ProbeConfig['connection'];
  protocol: string;
  header: string[];
  method: string;
  data?: string;
  insecure: boolean;
  ca?: string;
  cert?: string;
  key?: string;
  versionFrom: string;
  instanceFrom?: string;
  okStatus: string;
  maxInFlight?: string;
  record?: string;
  maxFailures?: string;
  maxFailureRate?: string;
  maxP99?: string;
  expectVersion?: string;
  warmup?: string;
  settle: string;
  showHeader: string[];
  metricsAddr?: string;
  metricsLinger: string;
  shard?: string;
  workers?: string;
  recordMarker?: string;
}

export function registerProbe(program: Command): void {
  const cmd = program
    .command('probe')
    .description('probe a URL at a constant open-loop rate while a deploy runs, then report and gate')
    .argument('[url]', 'the URL to probe (http or https); or name targets with --plan or --target')
    .argument('[command...]', 'a deploy command to run while probing (after --)')
    .option('--plan <file>', 'probe several targets in one run: a YAML or JSON plan (see README)')
    .option('--target <name=url>', 'a named target (repeatable): the simple case of a plan', collect, [])
    .option('--rps <n>', 'requests per second (open loop)', String(PROBE_DEFAULTS.rps))
    .option('--ramp <duration>', 'ramp the rate up linearly over this long', '0s')
    .option('-d, --duration <duration>', 'stop after this long (default: until the command ends + settle, or Ctrl-C)')
    .option('--timeout <duration>', 'per-request deadline covering connect, headers and body', `${PROBE_DEFAULTS.timeoutMs / 1000}s`)
    .addOption(new Option('--connection <mode>', 'keep-alive pool, a fresh connection per request, or alternate').choices(['reuse', 'new', 'both']).default(PROBE_DEFAULTS.connection))
    .option('-H, --header <header>', "request header 'Name: value' (repeatable, Host included)", collect, [])
    .option('--protocol <p>', 'auto (ALPN over TLS, else HTTP/1.1), h1, h2 (HTTP/2 over TLS) or h2c (HTTP/2 without TLS)', 'auto')
    .option('-X, --method <method>', 'HTTP method, or pkg.Service/Method for a grpc:// target', PROBE_DEFAULTS.method)
    .option('--show-header <name>', 'show this (routing) header\'s value in recordings and reports; all but Host, Accept, User-Agent, Content-Type are hidden (repeatable)', collect, [])
    .option('--data <body>', 'request body')
    .option('-k, --insecure', 'do not verify the TLS certificate', false)
    .option('--ca <file>', 'PEM file of CA certificates to trust')
    .option('--cert <file>', 'client certificate (PEM) for mutual TLS, with --key')
    .option('--key <file>', 'private key (PEM) of the --cert client certificate')
    .option('--version-from <source>', 'where the app version is: auto, body:<regex>, header:<name>, json:<path>', 'auto')
    .option('--instance-from <source>', 'where the instance (pod) name is: body:<regex>, header:<name>, json:<path>')
    .option('--ok-status <ranges>', 'statuses that count as ok', '200-399')
    .option('--max-in-flight <n>', 'concurrency cap; a request that finds it full is counted late')
    .option('--record <file>', 'write an NDJSON recording as the run goes')
    .option('--record-marker <name>', 'wrap the recording in marker lines named so (a pod writing it to its log: zdprobe merge --from-logs)')
    .option('--max-failures <n>', 'gate: dropped requests allowed (default 0, unless --max-failure-rate is given)')
    .option('--max-failure-rate <rate>', 'gate: dropped share allowed, e.g. 0.1%')
    .option('--max-p99 <ms>', 'gate: p99 latency allowed in ms')
    .option('--expect-version <v>', 'gate: the final seconds must be 100% this version')
    .option('--warmup <duration>', `probe this long before starting the command (default ${PROBE_DEFAULTS.warmupMs / 1000}s)`)
    .addOption(new Option('--until <event>', 'end --settle after the watched --deployment or --rollout finished rolling out (no command to wrap: GitOps)').choices(['rollout-complete']))
    .option('--metrics-addr <host:port>', 'serve Prometheus metrics at http://host:port/metrics while the run goes (e.g. 127.0.0.1:9464; 0.0.0.0:9464 in a pod)')
    .option('--metrics-linger <duration>', 'after the report, keep serving the final metrics this long, so a last scrape sees the whole run', '0s')
    .option('--shard <i/n>', "probe this run's share of the rate: every target at 1/n of its rate (pod i of n, e.g. of an Indexed Job)")
    .option('--workers <n>', 'threads sending each target\'s schedule (1: the main thread); default: one per 25 000 rps, at most one per core')
    .option('--settle <duration>', 'keep probing this long after the command ends', `${PROBE_DEFAULTS.settleMs / 1000}s`);
  reportFormatOption(cmd);
  clusterOptions(cmd);
  // The run's modules load when the command runs: `--help` and the other commands never pay for them.
  cmd.action(async (url: string | undefined, command: string[], flags: ProbeFlags) => (await import('./probe-run.js')).runProbeCommand(url, command, flags));
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

