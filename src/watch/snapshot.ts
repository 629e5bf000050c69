// Config snapshots: the settings that decide whether a rollout drops requests, with nothing secret in them.
import type { KubeObject } from '../types.js';

// Annotations that can carry a whole manifest (with env values) or are pure bookkeeping.
const DROP_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

function stripContainers(list: unknown): unknown {
  if (!Array.isArray(list)) return list;
  // env, envFrom, command and args may hold or point at secrets; probe headers may carry tokens.
  // Probes, lifecycle hooks and ports are what the rules need.
  return list.map(({ env: _env, envFrom: _envFrom, command: _c, args: _a, ...rest }) => {
    for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe'] as const) {
      const headers = rest[probe]?.httpGet?.httpHeaders;
      if (Array.isArray(headers)) rest[probe] = { ...rest[probe], httpGet: { ...rest[probe].httpGet, httpHeaders: headers.map((h: { name: string }) => ({ name: h.name, value: '<redacted>' })) } };
    }
    return rest;
  });
}

type Spec = Record<string, unknown>;

function stripPodSpec(spec: unknown): unknown {
  if (!spec || typeof spec !== 'object') return spec;
  const out: Spec = { ...spec };
  for (const key of ['containers', 'initContainers', 'ephemeralContainers']) {
    if (key in out) out[key] = stripContainers(out[key]);
  }
  return out;
}

function stripSpec(spec: { template?: { spec?: unknown } } | undefined): unknown {
  if (!spec?.template?.spec) return spec;
  return { ...spec, template: { ...spec.template, spec: stripPodSpec(spec.template.spec) } };
}

/** A copy of obj fit for a recording: no managedFields, status, env, or last-applied manifest. */
export function sanitize(obj: KubeObject): KubeObject {
  const { managedFields: _m, resourceVersion: _rv, uid: _uid, ...meta }: NonNullable<KubeObject['metadata']> = obj.metadata ?? {};
  const annotations = { ...(meta.annotations ?? {}) };
  for (const key of DROP_ANNOTATIONS) delete annotations[key];
  if (Object.keys(annotations).length) meta.annotations = annotations;
  else delete meta.annotations;
  const out: KubeObject = { apiVersion: obj.apiVersion, kind: obj.kind, metadata: meta };
  if (obj.spec !== undefined) out.spec = stripSpec(obj.spec);
  return out;
}

const keyOf = (o: KubeObject): string => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** Stable order and a fingerprint, so an unchanged config is not recorded twice. */
export function snapshotObjects(objects: KubeObject[]): { objects: KubeObject[]; fingerprint: string } {
  const clean = objects.map(sanitize).sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
  return { objects: clean, fingerprint: JSON.stringify(clean) };
}
