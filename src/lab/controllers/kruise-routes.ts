// What the Kruise controller writes besides status, as pure functions: the VirtualService for a
// step (as Kruise's Istio Lua script rewrites it), the canary Deployment and the canary Service.
import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import type { HeaderMatch, Rollout, RolloutStep } from './kruise-types.js';
import { CANARY_DEPLOYMENT_LABEL } from './kruise-plan.js';
import { HASH_LABEL } from './hash.js';
import { controllerRef, int } from './objects.js';

type Json = Record<string, unknown>;
interface Destination {
  destination?: { host?: string } & Json;
  weight?: number;
}
interface HttpRoute extends Json {
  match?: unknown[];
  route?: Destination[];
}

export const canaryServiceName = (service: string): string => `${service}-canary`;

const hostIs = (host: string | undefined, service: string): boolean =>
  host === service || (host?.startsWith(`${service}.`) ?? false);

function istioHeader(h: HeaderMatch): Json {
  if (h.type === 'RegularExpression') return { regex: h.value };
  if (h.type === 'Prefix') return { prefix: h.value };
  return { exact: h.value };
}

/** The VirtualService spec for a step, always derived from the original spec. */
export function routedSpec(original: Json, step: RolloutStep | null, service: string): Json {
  const spec = structuredClone(original) as Json & { http?: HttpRoute[] };
  if (!step || !Array.isArray(spec.http)) return spec;
  const canary = canaryServiceName(service);
  const stableRoute = spec.http.find((h) => h.route?.some((d) => hostIs(d.destination?.host, service)));
  const stableDest = stableRoute?.route?.find((d) => hostIs(d.destination?.host, service))?.destination ?? { host: service };
  if (step.matches && step.matches.length > 0) {
    // Header routes go first so they win over the original (catch-all) routes.
    const added = step.matches.map((m) => ({
      match: [{ headers: Object.fromEntries((m.headers ?? []).map((h) => [h.name, istioHeader(h)])) }],
      route: [{ destination: { ...stableDest, host: canary } }],
    }));
    spec.http = [...added, ...spec.http];
    return spec;
  }
  const weight = step.traffic ? Number.parseInt(step.traffic, 10) : NaN;
  if (!Number.isFinite(weight)) return spec;
  spec.http = spec.http.map((h) => {
    const only = h.route?.length === 1 ? h.route[0] : undefined;
    if (!only || !hostIs(only.destination?.host, service)) return h;
    return {
      ...h,
      route: [
        { destination: only.destination, weight: 100 - weight },
        { destination: { ...only.destination, host: canary }, weight },
      ],
    };
  });
  return spec;
}

/** The canary Deployment Kruise creates: the stable spec with the new template, never paused. */
export function canaryDeployment(rollout: Rollout, stable: V1Deployment, replicas: number): V1Deployment {
  const name = stable.metadata?.name ?? '';
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      generateName: `${name}-`,
      namespace: stable.metadata?.namespace,
      labels: { ...(stable.metadata?.labels ?? {}), [CANARY_DEPLOYMENT_LABEL]: name },
      ownerReferences: [controllerRef(rollout, 'rollouts.kruise.io/v1beta1', 'Rollout')],
    },
    spec: {
      replicas,
      selector: stable.spec?.selector ?? {},
      template: stable.spec?.template ?? {},
      strategy: stable.spec?.strategy,
      minReadySeconds: stable.spec?.minReadySeconds,
      revisionHistoryLimit: stable.spec?.revisionHistoryLimit,
      paused: false,
    },
  };
}

/** `<service>-canary`: the stable Service's ports, selecting only the canary's pod-template-hash. */
export function canaryService(rollout: Rollout, stable: V1Service, canaryHash: string): V1Service {
  const name = stable.metadata?.name ?? '';
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: canaryServiceName(name),
      namespace: stable.metadata?.namespace,
      ownerReferences: [controllerRef(rollout, 'rollouts.kruise.io/v1beta1', 'Rollout')],
    },
    spec: {
      type: 'ClusterIP',
      ports: (stable.spec?.ports ?? []).map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: p.protocol })),
      selector: { ...(stable.spec?.selector ?? {}), [HASH_LABEL]: canaryHash },
    },
  };
}

/** Kruise keeps the stable Service on the stable pods while the canary runs. */
export function pinnedSelector(stable: V1Service, hash: string | null): Record<string, string | null> | undefined {
  const sel = stable.spec?.selector ?? {};
  if (hash === null) return sel[HASH_LABEL] !== undefined ? { [HASH_LABEL]: null } : undefined;
  return sel[HASH_LABEL] === hash ? undefined : { [HASH_LABEL]: hash };
}

export const replicasOf = (d: V1Deployment | undefined): number => int(d?.spec?.replicas, 1);
