// `zdprobe job`: the manifests that probe from inside the cluster, rendered, never applied.
// One Indexed Job of N pods spread over nodes; pod i probes the plan at 1/N of its rate
// (--shard i/N) and writes its recording to its log between markers, or to a shared volume.
import type { PlanEnv } from '../types.js';
import { rbacFor, type Manifest } from './rbac.js';

export interface JobOptions {
  name: string;
  namespace: string;
  image: string;
  parallelism: number;
  /** The plan file's text, mounted from a ConfigMap. */
  plan: string;
  env: PlanEnv;
  /** Extra `zdprobe probe` arguments (duration, watch scope, gate). */
  probeArgs: string[];
  /** A PersistentVolumeClaim to write recordings to instead of the log. */
  outputVolume?: string;
  metricsPort?: number;
}

const PLAN_DIR = '/etc/zdprobe';
const OUT_DIR = '/recordings';
const labels = (o: JobOptions): Record<string, string> => ({ 'app.kubernetes.io/name': 'zdprobe', 'zdprobe.dev/job': o.name });

export function jobManifests(o: JobOptions): Manifest[] {
  const planMap: Manifest = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${o.name}-plan`, namespace: o.namespace, labels: labels(o) },
    data: { 'plan.yaml': o.plan },
  };
  return [...rbacFor(o.namespace), planMap, indexedJob(o)];
}

function indexedJob(o: JobOptions): Manifest {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: o.name, namespace: o.namespace, labels: labels(o) },
    spec: {
      completionMode: 'Indexed',
      completions: o.parallelism,
      parallelism: o.parallelism,
      // A pod whose gate fails is not re-run (a re-run probes twice) and does not stop the others.
      backoffLimitPerIndex: 0,
      template: {
        // Istio injects no sidecar that would keep the pod running after zdprobe exits.
        metadata: { labels: labels(o), annotations: { 'sidecar.istio.io/inject': 'false' } },
        spec: {
          serviceAccountName: 'zdprobe',
          restartPolicy: 'Never',
          securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
          topologySpreadConstraints: [{
            maxSkew: 1,
            topologyKey: 'kubernetes.io/hostname',
            // a one-node cluster still runs every pod
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: labels(o) },
          }],
          containers: [container(o)],
          volumes: [
            { name: 'plan', configMap: { name: `${o.name}-plan` } },
            ...(o.outputVolume ? [{ name: 'recordings', persistentVolumeClaim: { claimName: o.outputVolume } }] : []),
          ],
        },
      },
    },
  };
}

function container(o: JobOptions): Record<string, unknown> {
  const where = '$(ZDPROBE_INDEX)-$(NODE_NAME)';
  const record = o.outputVolume
    ? ['--record', `${OUT_DIR}/${o.name}-${where}.ndjson`]
    : ['--record', '/dev/stdout', '--record-marker', where, '--format', 'md'];
  return {
    name: 'zdprobe',
    image: o.image,
    args: [
      'probe', '--plan', `${PLAN_DIR}/plan.yaml`, '--shard', `$(ZDPROBE_INDEX)/${o.parallelism}`, ...record, '--namespace', o.namespace,
      // a PodMonitor scraping every 5 s still sees the final counts before the pod ends
      ...(o.metricsPort ? ['--metrics-addr', `0.0.0.0:${o.metricsPort}`, '--metrics-linger', '10s'] : []),
      ...o.probeArgs,
    ],
    env: [
      { name: 'ZDPROBE_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
      { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      ...Object.entries(o.env).map(([name, ref]) => ({ name, valueFrom: { secretKeyRef: { name: ref.secret, key: ref.key } } })),
    ],
    ...(o.metricsPort ? { ports: [{ name: 'metrics', containerPort: o.metricsPort }] } : {}),
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
    securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    volumeMounts: [
      { name: 'plan', mountPath: PLAN_DIR, readOnly: true },
      ...(o.outputVolume ? [{ name: 'recordings', mountPath: OUT_DIR }] : []),
    ],
  };
}

/** The commands that collect the pods' recordings and merge them into one report. */
export function collectCommand(o: JobOptions): string {
  // kubectl wait takes one condition; a Job whose gate failed ends Failed, not Complete
  const wait = `until kubectl -n ${o.namespace} get job/${o.name} -o jsonpath='{.status.conditions[?(@.status=="True")].type}' | grep -qE 'Complete|Failed'; do sleep 5; done`;
  if (o.outputVolume) {
    return `${wait}\n# the recordings are on PVC ${o.outputVolume} as ${OUT_DIR}/${o.name}-<index>-<node>.ndjson; copy them out, then:\nzdprobe merge ${o.name}-*.ndjson`;
  }
  return `${wait}\nkubectl -n ${o.namespace} logs -l zdprobe.dev/job=${o.name} --prefix --tail=-1 --max-log-requests=${Math.max(5, o.parallelism)} | zdprobe merge --from-logs -`;
}
