// `zdprobe job`: renders (never applies) the manifests that probe from inside the cluster; prints
// them on stdout for `kubectl apply -f -` and how to collect the results on stderr.
import type { Command } from 'commander';
import { usage } from '../errors.js';
import { TOOL_VERSION } from '../version.js';
import { probeConfig } from '../run/probe-config.js';
import type { JobOptions } from '../deploy/job-manifests.js';
import { readPlan } from './plan.js';
import { parsePositive, parseUrl } from './parse.js';

interface JobFlags {
  plan?: string;
  name: string;
  namespace: string;
  image: string;
  parallelism: string;
  outputVolume?: string;
  metricsPort?: string;
}

export function registerJob(program: Command): void {
  program
    .command('job')
    .description('render (never apply) an Indexed Job, its RBAC and plan to probe from inside the cluster, N pods spread over nodes')
    .argument('[url]', 'the URL to probe from inside the cluster (or --plan)')
    .argument('[probe-args...]', 'more `zdprobe probe` arguments after --, e.g. -- -d 5m --deployment web')
    .option('--plan <file>', 'the probe plan (YAML or JSON); its env names Secrets for header values')
    .option('--name <name>', 'name of the Job and its ConfigMap', 'zdprobe')
    .option('-n, --namespace <ns>', 'namespace of the Job and its ServiceAccount', 'default')
    .option('--image <ref>', 'the zdprobe image', `zdprobe:${TOOL_VERSION}`)
    .option('--parallelism <n>', 'pods (each probes at 1/n of the rate), spread over nodes', '1')
    .option('--output-volume <claim>', 'write recordings to this PersistentVolumeClaim instead of the pods\' logs')
    .option('--metrics-port <port>', 'serve Prometheus metrics on this port of each pod')
    .action(async (first: string | undefined, rest: string[], flags: JobFlags) => {
      // with --plan every argument after -- is the probe's
      const isUrl = first !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(first);
      const [url, probeArgs] = isUrl || flags.plan === undefined ? [first, rest] : [undefined, first === undefined ? rest : [first, ...rest]];
      // YAML and the manifests load only for this command (probe's start-up stays lean).
      const [{ stringify }, { collectCommand, jobManifests }] = await Promise.all([import('yaml'), import('../deploy/job-manifests.js')]);
      const opts = await jobOptions(url, probeArgs, flags);
      process.stdout.write(jobManifests(opts).map((m) => stringify(m)).join('---\n'));
      process.stderr.write(`# zdprobe: apply with kubectl apply -f -; collect and merge the recordings with:\n${collectCommand(opts)}\n`);
    });
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

async function jobOptions(url: string | undefined, probeArgs: string[], f: JobFlags): Promise<JobOptions> {
  if (!DNS_LABEL.test(f.name) || f.name.length > 52) throw usage(`--name "${f.name}" must be a DNS label of at most 52 characters (lower case, digits, -)`);
  if (!DNS_LABEL.test(f.namespace)) throw usage(`--namespace "${f.namespace}" is not a namespace name`);
  const parallelism = parsePositive(f.parallelism, '--parallelism', { integer: true });
  const metricsPort = f.metricsPort === undefined ? undefined : parsePositive(f.metricsPort, '--metrics-port', { integer: true });
  if (metricsPort !== undefined && metricsPort > 65535) throw usage(`--metrics-port ${metricsPort} is not a port`);
  const { plan, env, durationS } = await planOf(url, f.plan);
  const timed = probeArgs.some((a) => /^(-d|--duration|--until)(=|$)/.test(a));
  if (durationS === undefined && !timed) throw usage('a Job must end: give the plan a duration, or pass -- -d 5m (or --until rollout-complete with --deployment) to the probe');
  if (probeArgs.some((a) => /^(--record|--shard|--plan|--record-marker)(=|$)/.test(a))) throw usage('--record, --shard, --record-marker and --plan are set by zdprobe job; drop them after --');
  return { name: f.name, namespace: f.namespace, image: f.image, parallelism, plan, env, probeArgs, ...(f.outputVolume ? { outputVolume: f.outputVolume } : {}), ...(metricsPort ? { metricsPort } : {}) };
}

/** The plan's text, checked as probe would read it (a variable of its env stands in for the Secret). */
async function planOf(url: string | undefined, path: string | undefined): Promise<{ plan: string; env: JobOptions['env']; durationS?: number }> {
  if (path === undefined) {
    if (url === undefined) throw usage('give the URL to probe from inside the cluster, or --plan FILE');
    const { stringify } = await import('yaml');
    return { plan: stringify({ targets: [{ name: 'default', url: parseUrl(url).href }] }), env: {} };
  }
  if (url !== undefined) throw usage(`"${url}": with --plan the URLs come from the plan; drop the URL argument`);
  const base = probeConfig({ url: 'http://target.invalid/' });
  const probe = await readPlan(path, base, new Proxy({}, { get: () => 'set-from-secret' }));
  return { plan: probe.source, env: probe.env, ...(probe.durationS !== undefined ? { durationS: probe.durationS } : {}) };
}
