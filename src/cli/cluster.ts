// Kubernetes options of `probe`, and attaching the watcher to a run (watching never stops probing).
import type { Command } from 'commander';
import type { ClusterStatus, Summary } from '../types.js';
import type { ProbeRun } from '../run/start-probe.js';
import { analyzeRun } from '../analyze/index.js';

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
  finish(core: Summary): Promise<Summary>;
}

const wantsWatch = (f: ClusterFlags): boolean => f.watch && Boolean(f.deployment || f.service || f.selector || f.rollout);

export async function attachCluster(flags: ClusterFlags, run: ProbeRun): Promise<AttachedCluster> {
  const status: ClusterStatus = { watched: false, problems: wantsWatch(flags) ? ['the cluster watcher is not built yet'] : [], gaps: [] };
  return { finish: async (core) => analyzeRun(core, run.summarizer.data(), status) };
}
