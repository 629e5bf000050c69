// Lab scenarios: manifests + timed steps + what the run must show. One YAML file each in scenarios/.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import type { CauseId, ConnMode, KubeObject } from '../../types.js';
import { ZdError } from '../../errors.js';

export interface Expectation {
  /** Exact number of dropped (failed + late) requests, or "some" for at least one. */
  dropped?: number | 'some';
  /** Cause ids that must appear among the incidents. */
  causes?: CauseId[];
  /** Every declared traffic split must be matched, and at least one must have been checked. */
  splits?: 'pass';
  /** The set of versions that answered ok, exactly. */
  versions?: string[];
  /** The final seconds answered only by this version. */
  finalVersion?: string;
  /** How the watched Argo Rollout ended, as the probe's own watcher recorded it. */
  rollout?: 'promoted' | 'aborted';
  /** Failures only on these connection modes. */
  failuresOnlyOn?: ConnMode[];
}

export interface ScenarioProbe {
  name: string;
  path: string;
  host?: string;
  /** Probe this Service through the lab's L4 service proxy (like a NodePort) instead of the ingress. */
  service?: string;
  headers: Record<string, string>;
  /** HTTP method (default GET): POST shows what proxies do not retry. */
  method?: string;
  rps: number;
  timeoutMs: number;
  connection: 'reuse' | 'new' | 'both';
  expect: Expectation;
}

export type Step =
  | { sleep: number }
  | { apply: KubeObject[] }
  | { patch: { apiVersion: string; kind: string; name: string; patch: Record<string, unknown> } }
  | { setImage: { deployment?: string; rollout?: string; container: string; image: string; pause?: boolean } }
  | { delete: { apiVersion: string; kind: string; name: string } }
  | { approve: string }
  /** Evict the oldest pod of a Deployment through the Eviction API, as `kubectl drain` does. */
  | { evict: { deployment: string } }
  | { wait: WaitFor };

export type WaitFor = { ready: true } | { rollout: string } | { kruiseStep: { name: string; step: number } } | { kruiseDone: string } | { argoDone: string };

/** Real controllers a scenario runs beside the real node (real node only). */
export const REAL_CONTROLLERS = ['argo-rollouts'] as const;
export type RealController = (typeof REAL_CONTROLLERS)[number];

/**
 * The proxy in front. `controller: lab` (default) answers, retries and times out as the real proxy
 * each route stands for (ingress-nginx for Ingress, Envoy for VirtualService/HTTPRoute), with the
 * built-in engine, which takes endpoint changes without a reload; `nginx` is plain real nginx
 * reloaded on every change; `traefik` real Traefik (real node only).
 */
export interface ScenarioIngress {
  /** Object change -> proxy acting on it. Default: ingress-nginx's worst case for Ingress scenarios, else 1 s. */
  propagationDelayMs: number;
  /** Absent: the real proxy's default retry policy (ingress-nginx's, Istio's Envoy's); `none`: one try. */
  retry?: 'none';
  /** Upstream read timeout; absent: the real proxy's (ingress-nginx 60 s, Istio none). */
  readTimeoutMs?: number;
  controller?: 'lab' | 'nginx' | 'traefik';
}

/**
 * ingress-nginx's lag on an endpoint change: its sync queue runs at most every 3.3 s (sync-rate-limit
 * 0.3/s) and each worker's Lua balancer polls the new backends every 1 s, so about 4.3 s worst case.
 */
export const INGRESS_NGINX_LAG_MS = 4300;

/**
 * kube-proxy's lag on an endpoint change: it applies one at once unless it synced less than its
 * iptables minSyncPeriod ago (default 1 s, pkg/proxy/apis/config/v1alpha1/defaults.go), so 1 s worst case.
 */
export const KUBE_PROXY_LAG_MS = 1000;

export interface Scenario {
  name: string;
  pattern: number;
  description: string;
  ingress: ScenarioIngress;
  /** The L4 Service proxy that probes with `service:` go through (kube-proxy's stand-in): its own lag. */
  serviceProxy: { propagationDelayMs: number };
  watch: { deployment?: string; rollout?: string; selector?: string };
  /** `controllers: [argo-rollouts]` runs the real Argo Rollouts controller (real node only). */
  controllers: RealController[];
  manifests: KubeObject[];
  probes: ScenarioProbe[];
  steps: Step[];
  settleMs: number;
  /** `node: real`: the scenario needs what only a real node has (an OOM killer, the Eviction API). */
  realNodeOnly?: true;
}

export const SCENARIO_DIR = fileURLToPath(new URL('../../../../scenarios/', import.meta.url));

export function listScenarios(dir = SCENARIO_DIR): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => basename(f, '.yaml')).sort();
}

export function loadScenario(nameOrPath: string, dir = SCENARIO_DIR): Scenario {
  const path = nameOrPath.endsWith('.yaml') ? nameOrPath : join(dir, `${nameOrPath}.yaml`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (path === nameOrPath) throw new ZdError('input', `scenario file ${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    throw new ZdError('usage', `unknown scenario "${nameOrPath}": choose one of ${listScenarios(dir).join(', ')}`);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new ZdError('input', `${path}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new ZdError('input', `${path}: not a scenario (expected a mapping with description, manifests, probes, steps)`);
  return toScenario(doc as Record<string, any>, path);
}

const ms = (v: unknown, where: string): number => {
  if (typeof v === 'number') return v * 1000;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(String(v));
  if (!m) throw new ZdError('input', `${where}: "${String(v)}" is not a duration (use 500ms, 2s, 1m)`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2] as 'ms' | 's' | 'm'];
};

function toScenario(raw: Record<string, any>, path: string): Scenario {
  const need = (v: unknown, field: string): unknown => {
    if (v === undefined || v === null) throw new ZdError('input', `${path}: "${field}" is missing`);
    return v;
  };
  const probes = (need(raw.probes, 'probes') as Array<Record<string, unknown>>).map((p, i) => ({
    name: String(p.name ?? (i === 0 ? 'main' : `probe${i}`)),
    path: String(p.path ?? '/'),
    ...(p.host ? { host: String(p.host) } : {}),
    ...(p.service ? { service: String(p.service) } : {}),
    headers: (p.headers ?? {}) as Record<string, string>,
    ...(p.method ? { method: String(p.method).toUpperCase() } : {}),
    rps: Number(p.rps ?? 30),
    timeoutMs: ms(p.timeout ?? '2s', `${path} probes[${i}].timeout`),
    connection: (p.connection ?? 'both') as ScenarioProbe['connection'],
    expect: (p.expect ?? {}) as Expectation,
  }));
  return {
    name: String(need(raw.name, 'name')),
    pattern: Number(raw.pattern ?? 0),
    description: String(raw.description ?? ''),
    ingress: toIngress(raw.ingress ?? {}, Array.isArray(raw.manifests) ? raw.manifests : [], path),
    serviceProxy: { propagationDelayMs: raw.serviceProxy?.propagationDelay === undefined ? KUBE_PROXY_LAG_MS : ms(raw.serviceProxy.propagationDelay, `${path} serviceProxy.propagationDelay`) },
    watch: raw.watch ?? {},
    controllers: controllersOf(raw.controllers, path),
    manifests: need(raw.manifests, 'manifests') as KubeObject[],
    probes,
    steps: ((raw.steps ?? []) as Array<Record<string, unknown>>).map((s, i) => toStep(s, `${path} steps[${i}]`)),
    settleMs: ms(raw.settle ?? '3s', `${path} settle`),
    ...(raw.node === 'real' ? { realNodeOnly: true as const } : {}),
  };
}

function toIngress(raw: Record<string, unknown>, manifests: KubeObject[], path: string): ScenarioIngress {
  const oneOf = <T extends string>(field: string, allowed: readonly T[]): T | undefined => {
    const v = raw[field];
    if (v === undefined) return undefined;
    if (!(allowed as readonly unknown[]).includes(v)) throw new ZdError('input', `${path}: ingress.${field} "${String(v)}" is not one of ${allowed.join(', ')}`);
    return v as T;
  };
  const retry = oneOf('retry', ['none'] as const);
  const controller = oneOf('controller', ['lab', 'nginx', 'traefik'] as const);
  // The default lag is ingress-nginx's only where the lab's ingress stands in for it.
  const byIngress = controller === undefined || controller === 'lab' ? manifests.some((o) => o?.kind === 'Ingress') : false;
  return {
    propagationDelayMs: raw['propagationDelay'] === undefined ? (byIngress ? INGRESS_NGINX_LAG_MS : 1000) : ms(raw['propagationDelay'], `${path} ingress.propagationDelay`),
    ...(retry ? { retry } : {}),
    ...(raw['readTimeout'] ? { readTimeoutMs: ms(raw['readTimeout'], `${path} ingress.readTimeout`) } : {}),
    ...(controller && controller !== 'lab' ? { controller } : {}),
  };
}

function toStep(s: Record<string, any>, where: string): Step {
  if ('sleep' in s) return { sleep: ms(s.sleep, where) };
  if ('apply' in s) return { apply: s.apply as KubeObject[] };
  if ('patch' in s) return { patch: s.patch };
  if ('set-image' in s) return { setImage: s['set-image'] };
  if ('delete' in s) return { delete: s.delete };
  if ('approve' in s) return { approve: String(s.approve) };
  if ('evict' in s) return { evict: { deployment: String(s.evict?.deployment ?? s.evict) } };
  if ('wait' in s) {
    const w = s.wait;
    if (w === 'ready') return { wait: { ready: true } };
    if (w?.rollout) return { wait: { rollout: String(w.rollout) } };
    if (w?.['kruise-step']) return { wait: { kruiseStep: w['kruise-step'] } };
    if (w?.['kruise-done']) return { wait: { kruiseDone: String(w['kruise-done']) } };
    if (w?.['argo-done']) return { wait: { argoDone: String(w['argo-done']) } };
  }
  throw new ZdError('input', `${where}: unknown step ${JSON.stringify(s)}; use sleep, apply, patch, set-image, delete, approve, evict or wait`);
}

function controllersOf(v: unknown, path: string): RealController[] {
  const list = v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)];
  const unknown = list.filter((c) => !(REAL_CONTROLLERS as readonly string[]).includes(c));
  if (unknown.length > 0) throw new ZdError('input', `${path}: unknown controller "${unknown[0]}" (known: ${REAL_CONTROLLERS.join(', ')})`);
  return list as RealController[];
}

/** Why a scenario runs only with --node real (`node: real`, real Traefik or a real controller), or undefined. */
export function realNodeOnly(sc: Scenario): string | undefined {
  if (sc.realNodeOnly) return 'it needs a real node (node: real): the stand-in kubelet has no OOM killer or Eviction API';
  if (sc.ingress.controller === 'traefik') return 'real Traefik reads a real apiserver and dials real pod IPs';
  if (sc.controllers.length > 0) return `the real ${sc.controllers.join(', ')} controller runs its pods (analysis Jobs) on a real node`;
  return undefined;
}
