// The defaults the real API server fills in, so clients and controllers see real-looking objects.

import type { StoredObject } from './store.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

function probeDefaults(probe: Any): void {
  if (!probe) return;
  probe.timeoutSeconds ??= 1;
  probe.periodSeconds ??= 10;
  probe.successThreshold ??= 1;
  probe.failureThreshold ??= 3;
  if (probe.httpGet) probe.httpGet.scheme ??= 'HTTP';
}

function containerDefaults(c: Any): void {
  const tag = String(c.image ?? '').split('/').pop()?.split(':')[1];
  c.imagePullPolicy ??= tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  probeDefaults(c.readinessProbe);
  probeDefaults(c.livenessProbe);
  probeDefaults(c.startupProbe);
}

export function podSpecDefaults(spec: Any): void {
  if (!spec) return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  spec.enableServiceLinks ??= true;
  for (const c of spec.containers ?? []) containerDefaults(c);
  for (const c of spec.initContainers ?? []) containerDefaults(c);
}

/** Guaranteed when every container has equal cpu+memory requests and limits, BestEffort when none. */
export function qosClassOf(spec: Any): string {
  const containers: Any[] = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  const hasAny = containers.some((c) => Object.keys(c.resources?.requests ?? {}).length + Object.keys(c.resources?.limits ?? {}).length > 0);
  if (!hasAny) return 'BestEffort';
  const guaranteed = containers.every((c) => {
    const limits = c.resources?.limits ?? {};
    const requests = c.resources?.requests ?? limits;
    return ['cpu', 'memory'].every((r) => limits[r] !== undefined && String(requests[r]) === String(limits[r]));
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function templateDefaults(spec: Any): void {
  spec.replicas ??= 1;
  spec.template ??= {};
  spec.template.metadata ??= {};
  spec.template.metadata.creationTimestamp ??= null;
  podSpecDefaults(spec.template.spec);
}

function deploymentDefaults(obj: Any): void {
  const spec = (obj.spec ??= {});
  templateDefaults(spec);
  spec.strategy ??= { type: 'RollingUpdate' };
  if (spec.strategy.type === undefined) spec.strategy.type = 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate ??= {};
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
}

function serviceDefaults(obj: Any, allocateIp: () => string): void {
  const spec = (obj.spec ??= {});
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (spec.type !== 'ExternalName') {
    spec.clusterIP ??= allocateIp();
    spec.clusterIPs ??= [spec.clusterIP];
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
    spec.internalTrafficPolicy ??= 'Cluster';
  }
  for (const p of spec.ports ?? []) {
    p.protocol ??= 'TCP';
    p.targetPort ??= p.port;
  }
  obj.status ??= { loadBalancer: {} };
}

/** Fills defaults in place on a freshly created (already cloned) object. */
export function applyDefaults(obj: StoredObject, allocateIp: () => string): void {
  const o = obj as Any;
  switch (obj.kind) {
    case 'Pod':
      podSpecDefaults((o.spec ??= {}));
      // The Priority admission plugin stamps these on pods (not on templates).
      o.spec.preemptionPolicy ??= 'PreemptLowerPriority';
      o.spec.priority ??= 0;
      return;
    case 'Deployment':
      deploymentDefaults(o);
      return;
    case 'ReplicaSet':
    case 'StatefulSet':
      templateDefaults((o.spec ??= {}));
      return;
    case 'Service':
      serviceDefaults(o, allocateIp);
      return;
    case 'Namespace':
      o.spec ??= { finalizers: ['kubernetes'] };
      o.status ??= { phase: 'Active' };
      obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name ?? '' };
      return;
  }
}

/** Sequential cluster IPs from 10.96.0.0/12, skipping .0 and 10.96.0.1 (the kubernetes service). */
export function ipAllocator(): () => string {
  let n = 10;
  return () => {
    n += 1;
    return `10.${96 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
  };
}
