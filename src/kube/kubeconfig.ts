// The one kubeconfig loader (watcher, lint --from-cluster, the lab). kubectl's conventions:
// --kubeconfig, else $KUBECONFIG, else ~/.kube/config (else in-cluster); the current context
// unless --context; namespace from -n, else the context's, else "default".
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ZdError } from '../errors.js';

export interface ConfigRequest {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
}

/** Why no config was loaded, for callers that word it their own way (lint says "no kubeconfig at FILE"). */
export type ConfigFailure =
  | { code: 'none'; file: string }
  | { code: 'missing'; file: string }
  | { code: 'unreadable'; file: string; why: string }
  | { code: 'no-context'; file: string; context: string }
  | { code: 'no-current-context'; file: string };

export type LoadedConfig =
  | { ok: true; kc: KubeConfig; namespace: string; server: string; source: string }
  | { ok: false; problem: string; failure: ConfigFailure };

const homeConfig = (env: NodeJS.ProcessEnv): string => join(env['HOME'] ?? homedir(), '.kube', 'config');

const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

function configFiles(req: ConfigRequest, env: NodeJS.ProcessEnv): { files: string[]; source: string } | undefined {
  if (req.kubeconfig) return { files: [req.kubeconfig], source: `--kubeconfig ${req.kubeconfig}` };
  const fromEnv = (env['KUBECONFIG'] ?? '').split(delimiter).filter(Boolean);
  // Like kubectl, files named in KUBECONFIG that do not exist are skipped.
  const present = fromEnv.filter((f) => existsSync(f));
  if (fromEnv.length) return { files: present.length ? present : fromEnv, source: `KUBECONFIG=${fromEnv.join(delimiter)}` };
  const home = homeConfig(env);
  return existsSync(home) ? { files: [home], source: home } : undefined;
}

function load(files: string[]): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(files[0]!);
  for (const file of files.slice(1)) {
    const more = new KubeConfig();
    more.loadFromFile(file);
    kc.mergeConfig(more, true);
  }
  return kc;
}

// client-node refuses http:// servers unless TLS checks are off; with plain HTTP there is no TLS to check.
function allowPlainHttp(kc: KubeConfig): void {
  const clusters = kc.getClusters().map((c) => (c.server.startsWith('http:') ? { ...c, skipTLSVerify: true } : c));
  kc.loadFromOptions({
    clusters, users: kc.getUsers(), contexts: kc.getContexts(), currentContext: kc.getCurrentContext(),
  });
}

export function loadKubeConfig(req: ConfigRequest, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const found = configFiles(req, env);
  const inCluster = !found && !!env['KUBERNETES_SERVICE_HOST'] && existsSync(IN_CLUSTER_TOKEN);
  const file = found?.files[0] ?? (inCluster ? 'in-cluster service account' : homeConfig(env));
  const fail = (problem: string, failure: ConfigFailure): LoadedConfig => ({ ok: false, problem, failure });
  if (!found && !inCluster) {
    return fail('no kubeconfig (no --kubeconfig, KUBECONFIG unset, no ~/.kube/config): the cluster was not watched', { code: 'none', file });
  }
  const missing = found?.files.find((f) => !existsSync(f));
  if (missing) return fail(`kubeconfig ${missing} does not exist: the cluster was not watched`, { code: 'missing', file: missing });
  let kc: KubeConfig;
  try {
    kc = found ? load(found.files) : new KubeConfig();
    if (!found) kc.loadFromCluster();
  } catch (err) {
    // Only the parser's first line: a malformed file could echo a token back in a longer message.
    const why = String((err as Error).message ?? err).split('\n')[0]!.slice(0, 120);
    return fail(`kubeconfig could not be read (${why}): the cluster was not watched`, { code: 'unreadable', file, why });
  }
  if (req.context) {
    if (!kc.getContextObject(req.context)) {
      return fail(`context "${req.context}" is not in the kubeconfig`, { code: 'no-context', file, context: req.context });
    }
    kc.setCurrentContext(req.context);
  }
  const ctx = kc.getContextObject(kc.getCurrentContext());
  const cluster = kc.getCurrentCluster();
  if (!ctx || !cluster) return fail('the kubeconfig has no current context (use --context)', { code: 'no-current-context', file });
  allowPlainHttp(kc);
  const namespace = req.namespace ?? ctx.namespace ?? 'default';
  return { ok: true, kc, namespace, server: cluster.server, source: found?.source ?? 'in-cluster service account' };
}

/** The lab's form: a kubeconfig file it wrote (or one already loaded); a problem throws ZdError('input'). */
export function kubeConfigOf(kubeconfig: string | KubeConfig): KubeConfig {
  if (typeof kubeconfig !== 'string') return kubeconfig;
  const loaded = loadKubeConfig({ kubeconfig }, {});
  if (!loaded.ok) throw new ZdError('input', loaded.problem);
  return loaded.kc;
}
