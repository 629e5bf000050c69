// Kubernetes options of `probe`, turned into the run's watch scope (watching never stops probing).
import type { Command } from 'commander';
import type { WatchScope } from '../run/index.js';

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

/** The watch scope the flags name, or undefined when nothing is to be watched. */
export function scopeOf(flags: ClusterFlags): WatchScope | undefined {
  const scoped = Boolean(flags.deployment || flags.service || flags.selector || flags.rollout);
  if (!flags.watch || !scoped) return undefined;
  const keys = ['kubeconfig', 'context', 'namespace', 'selector', 'deployment', 'service', 'rollout'] as const;
  return Object.fromEntries(keys.filter((k) => flags[k] !== undefined).map((k) => [k, flags[k]])) as WatchScope;
}
