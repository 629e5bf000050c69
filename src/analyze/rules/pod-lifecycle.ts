// Pod settings that decide whether a served pod takes requests too early or dies too soon.
import type { Finding, Severity } from '../../types.js';
import { finding, type Rule } from './rule.js';
import { containersOf, servedSeverity, type Index, type Workload } from './index-objects.js';

const SERVICE = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
`;

/** A served Deployment whose container spec (indented under `containers:`) is `extra`. */
export const webDeployment = (container: string, pod = ''): string => `${SERVICE}apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
${pod}      containers:
      - name: web
        image: web:2
${container}`;

const READY = `        readinessProbe:
          httpGet: {path: /healthz, port: 8080}
`;
const PRESTOP = (n: number): string => `        lifecycle:
          preStop:
            exec:
              command: ["/bin/sh", "-c", "sleep ${n}"]
`;

const UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600 };

/** Seconds a container's preStop hook waits: `sleep N` in an exec command, or the sleep action. */
type Hook = { sleep?: { seconds?: unknown }; exec?: { command?: unknown } };

export function preStopSleepSeconds(container: { lifecycle?: { preStop?: Hook } } | undefined): number | undefined {
  const hook = container?.lifecycle?.preStop;
  if (!hook) return undefined;
  if (hook.sleep?.seconds !== undefined) return Number(hook.sleep.seconds);
  const cmd = hook.exec?.command;
  if (!Array.isArray(cmd)) return undefined;
  const text = cmd.map(String).join(' ');
  const sleeps = [...text.matchAll(/(?:^|[\s;&|(/])sleep\s+(\d+(?:\.\d+)?)([smh]?)(?=$|[\s;&|)])/g)];
  if (sleeps.length === 0) return undefined;
  return sleeps.reduce((sum, m) => sum + Number(m[1]) * (UNITS[m[2] ?? ''] ?? 1), 0);
}

type Check = (w: Workload) => { message: string; fix: string } | null;

/** Runs a per-workload check at the severity its being served calls for. */
function perWorkload(ix: Index, id: string, base: Severity, check: Check): Finding[] {
  const out: Finding[] = [];
  for (const w of ix.workloads) {
    const hit = check(w);
    const sev = hit ? servedSeverity(ix, w, base) : null;
    if (hit && sev) out.push(finding(id, sev, w.src, hit.message, hit.fix));
  }
  return out;
}

const SERVED_NOTE = ' Reported for workloads a Service selects; when the input has no Service at all, one level lower.';

export const deployNoReadiness: Rule = {
  id: 'deploy-no-readiness',
  severity: 'error',
  title: 'Served workload has no readinessProbe',
  description: 'Without a readinessProbe a pod counts as ready as soon as its containers start, '
    + 'so the Service sends it requests before the application listens: connection refused or '
    + '502 on every rollout.' + SERVED_NOTE,
  bad: webDeployment(''),
  good: webDeployment(READY),
  check(ix) {
    return perWorkload(ix, this.id, this.severity, (w) =>
      containersOf(w).some((c) => c?.readinessProbe) ? null : {
        message: 'no container has a readinessProbe: new pods get traffic before they can answer',
        fix: 'add a readinessProbe (for example httpGet on a health path) to the serving container',
      });
  },
};

export const deployNoPrestop: Rule = {
  id: 'deploy-no-prestop',
  severity: 'warning',
  title: 'Served workload has no preStop hook',
  description: 'When a pod is deleted, the kubelet signals it at the same time as endpoints are '
    + 'removed; proxies and kube-proxy learn of the removal a moment later and keep sending it '
    + 'requests. A preStop `sleep` keeps the pod serving until they have caught up.' + SERVED_NOTE,
  bad: webDeployment(READY),
  good: webDeployment(READY + PRESTOP(5)),
  check(ix) {
    return perWorkload(ix, this.id, this.severity, (w) =>
      containersOf(w).some((c) => c?.lifecycle?.preStop) ? null : {
        message: 'no container has a preStop hook: requests routed during endpoint propagation hit a stopping pod',
        fix: 'add lifecycle.preStop (sleep 5 to 15 s, or `preStop: {sleep: {seconds: 5}}`) so the pod serves until endpoints are updated',
      });
  },
};

export const deployGraceTooShort: Rule = {
  id: 'deploy-grace-too-short',
  severity: 'error',
  title: 'Grace period not longer than the preStop sleep',
  description: 'terminationGracePeriodSeconds (default 30) counts from the start of the preStop '
    + 'hook. If it is not longer than the sleep, the container is killed before it can finish '
    + 'in-flight requests after SIGTERM.' + SERVED_NOTE,
  bad: webDeployment(READY + PRESTOP(30)),
  good: webDeployment(READY + PRESTOP(30), '      terminationGracePeriodSeconds: 45\n'),
  check(ix) {
    return perWorkload(ix, this.id, this.severity, (w) => {
      const sleeps = containersOf(w).map(preStopSleepSeconds).filter((s): s is number => s !== undefined);
      if (sleeps.length === 0) return null;
      const sleep = Math.max(...sleeps);
      const grace = Number(w.pod.terminationGracePeriodSeconds ?? 30);
      return grace > sleep ? null : {
        message: `terminationGracePeriodSeconds ${grace} is not longer than the preStop sleep of ${sleep}s: the pod is killed before it drains`,
        fix: `set terminationGracePeriodSeconds to the preStop sleep plus the longest request time (at least ${Math.ceil(sleep) + 15})`,
      };
    });
  },
};
