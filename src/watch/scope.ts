// What "in scope" means for this run: the pods, services, workloads and routes of the thing released.
import type { KubeObject } from '../types.js';
import type { ApiClient } from './api.js';
import {
  fromLabels, fromLabelSelector, matches, parseSelector, pinnedLabels, type Labels, type Requirement,
} from './selector.js';

export interface ScopeRequest {
  deployment?: string;
  service?: string;
  selector?: string;
  rollout?: string;
}

export interface Scope {
  namespace: string;
  /** Everything in the namespace (nothing named). */
  all: boolean;
  /** Pods to watch; undefined: all pods of the namespace. */
  podSelector?: Requirement[];
  /** Labels every pod in scope carries, to find the Services that select them. */
  podLabels: Labels;
  deployment?: string;
  services: Set<string>;
  rollout?: { flavor: 'kruise' | 'argo'; name: string };
  problems: string[];
}

export type Resolved = { ok: true; scope: Scope } | { ok: false; message: string };

const ROLLOUT_PATHS = { kruise: '/apis/rollouts.kruise.io/v1beta1', argo: '/apis/argoproj.io/v1alpha1' };

function forbidden(what: string, ns: string): string {
  return `forbidden to ${what} in ${ns}: add the rules in deploy/rbac.yaml`;
}

function setPods(scope: Scope, selector: Parameters<typeof fromLabelSelector>[0], templateLabels: Labels | undefined): void {
  if (scope.podSelector) return;
  scope.podSelector = fromLabelSelector(selector);
  scope.podLabels = templateLabels ?? pinnedLabels(scope.podSelector);
}

/** Reads one object; a network failure aborts resolution (to retry), other failures become problems. */
async function read(api: ApiClient, scope: Scope, path: string, what: string): Promise<KubeObject | undefined | 'down'> {
  const res = await api.get(path);
  if (res.ok) return res.body as KubeObject;
  if (res.status === 0 || res.status >= 500) return 'down';
  scope.problems.push(res.status === 403 ? forbidden(`get ${what}`, scope.namespace) : `${what} not found in ${scope.namespace} (${res.message})`);
  return undefined;
}

function rolloutServices(r: KubeObject): string[] {
  const c = r.spec?.strategy?.canary ?? {};
  const b = r.spec?.strategy?.blueGreen ?? {};
  const kruise = ((c.trafficRoutings ?? []) as Array<{ service?: string }>).map((t) => t.service);
  return [...kruise, c.stableService, c.canaryService, b.activeService, b.previewService].filter((s) => typeof s === 'string');
}

async function resolveRollout(api: ApiClient, scope: Scope, req: ScopeRequest): Promise<boolean> {
  const m = /^(kruise|argo)\/(.+)$/.exec(req.rollout ?? '');
  if (!m) {
    if (req.rollout) scope.problems.push(`--rollout must be kruise/NAME or argo/NAME, not "${req.rollout}"`);
    return true;
  }
  const flavor = m[1] as 'kruise' | 'argo';
  scope.rollout = { flavor, name: m[2]! };
  const r = await read(api, scope, `${ROLLOUT_PATHS[flavor]}/namespaces/${scope.namespace}/rollouts/${m[2]}`, `rollout ${m[2]}`);
  if (r === 'down') return false;
  if (!r) return true;
  for (const s of rolloutServices(r)) scope.services.add(s);
  const ref = r.spec?.workloadRef;
  if (ref?.kind === 'Deployment' && !scope.deployment) scope.deployment = ref.name;
  if (flavor === 'argo' && !ref && r.spec?.selector) setPods(scope, r.spec.selector, r.spec.template?.metadata?.labels);
  return true;
}

async function resolveWorkloads(api: ApiClient, scope: Scope, req: ScopeRequest): Promise<boolean> {
  const ns = scope.namespace;
  if (scope.deployment) {
    const d = await read(api, scope, `/apis/apps/v1/namespaces/${ns}/deployments/${scope.deployment}`, `deployment ${scope.deployment}`);
    if (d === 'down') return false;
    if (d) setPods(scope, d.spec?.selector, d.spec?.template?.metadata?.labels);
  }
  if (req.service) {
    scope.services.add(req.service);
    const s = await read(api, scope, `/api/v1/namespaces/${ns}/services/${req.service}`, `service ${req.service}`);
    if (s === 'down') return false;
    if (s?.spec?.selector) setPods(scope, { matchLabels: s.spec.selector }, s.spec.selector);
  }
  if (req.selector) {
    scope.podSelector = parseSelector(req.selector);
    scope.podLabels = pinnedLabels(scope.podSelector);
  }
  return true;
}

export function selectsPods(scope: Scope, svc: KubeObject): boolean {
  const sel: Labels = svc.spec?.selector ?? {};
  return Object.keys(sel).length > 0 && Object.keys(scope.podLabels).length > 0 && matches(fromLabels(sel), scope.podLabels);
}

export async function resolveScope(api: ApiClient, namespace: string, req: ScopeRequest): Promise<Resolved> {
  const all = !req.deployment && !req.service && !req.selector && !req.rollout;
  const scope: Scope = { namespace, all, podLabels: {}, services: new Set(), problems: [] };
  if (req.deployment) scope.deployment = req.deployment;
  if (!(await resolveRollout(api, scope, req)) || !(await resolveWorkloads(api, scope, req))) {
    return { ok: false, message: 'API server unreachable while resolving what to watch' };
  }
  if (!all && !scope.podSelector) scope.problems.push(`could not tell which pods to watch: watching every pod in ${namespace}`);
  const list = await api.get(`/api/v1/namespaces/${namespace}/services`);
  const services = list.ok ? ((list.body as { items?: KubeObject[] } | null)?.items ?? []) : [];
  for (const svc of services) if (selectsPods(scope, svc)) scope.services.add(svc.metadata?.name ?? '');
  return { ok: true, scope };
}
