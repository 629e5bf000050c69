// Kubernetes options of `probe`, and attaching the watcher to a run (watching never stops probing).
import type { Command } from 'commander';
import type { ClusterStatus, Summary } from '../types.js';
import type { ProbeRun } from '../run/start-probe.js';
import type { Watcher } from '../watch/index.js';

export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  selector?: string;
  deployment?: string;
  service?: string;
  rollout?: string;
  watch: boolean;
}

export function clusterOptions(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default: the current context)')
    .option('-n, --namespace <ns>', 'namespace to watch (default: the context namespace)')
    .option('--selector <labels>', 'watch pods with this label selector')
    .option('--deployment <name>', 'watch this Deployment, its pods and the Services that select them')
    .option('--service <name>', 'watch this Service and its EndpointSlices')
    .option('--rollout <kind/name>', 'watch a Kruise or Argo rollout: kruise/NAME or argo/NAME')
    .option('--no-watch', 'do not watch the cluster');
}

export interface AttachedCluster {
  /** Stops the watcher, analyses the run, writes the footer, returns the final summary. */
  finish(core: Summary): Promise<Summary>;
}

const NOT_WATCHED: ClusterStatus = { watched: false, problems: [], gaps: [] };

/** Starts the watcher when a scope was given; its events and snapshots go into the run's recording. */
export async function attachCluster(flags: ClusterFlags, run: ProbeRun): Promise<AttachedCluster> {
  const scoped = Boolean(flags.deployment || flags.service || flags.selector || flags.rollout);
  let watcher: Watcher | undefined;
  if (flags.watch && scoped) {
    // Loaded only when needed: the Kubernetes client adds noticeable start-up time.
    const { startWatcher } = await import('../watch/index.js');
    watcher = await startWatcher({
      ...pick(flags),
      onEvent: (event) => run.emit({ type: 'cluster', event }),
      onConfig: (snapshot) => run.emit({ type: 'config', snapshot }),
    });
  }
  return {
    async finish(core) {
      // Closed first: a watch that is down at the end still reports its last gap.
      await watcher?.close();
      return run.finish(core, watcher?.status() ?? NOT_WATCHED);
    },
  };
}

function pick(f: ClusterFlags) {
  const keys = ['kubeconfig', 'context', 'namespace', 'selector', 'deployment', 'service', 'rollout'] as const;
  return Object.fromEntries(keys.filter((k) => f[k] !== undefined).map((k) => [k, f[k]])) as Partial<Pick<ClusterFlags, (typeof keys)[number]>>;
}
