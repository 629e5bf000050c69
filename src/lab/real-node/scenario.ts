// What a scenario needs to run on the real node: local images only, the app's port as the stand-in
// kubelet passes it, and a wait until every Service IP answers through kube-proxy.
import { connect } from 'node:net';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../../types.js';
import type { Scenario, Step } from '../scenario/scenario.js';

type Container = { image?: string; imagePullPolicy?: string; ports?: Array<{ containerPort?: number }>; env?: Array<{ name: string; value?: string }> };

type PodSpec = { containers?: Container[]; initContainers?: Container[] };

const podSpecOf = (o: KubeObject): PodSpec | undefined => o.spec?.template?.spec ?? (o.kind === 'Pod' ? o.spec : undefined);

/** Images never pulled (there is no registry); PORT set from the first containerPort, as the stand-in kubelet passes --port. */
function localContainer(c: Container): Container {
  const port = c.ports?.[0]?.containerPort;
  const env = c.env ?? [];
  return {
    ...c,
    imagePullPolicy: 'Never',
    ...(port && !env.some((e) => e.name === 'PORT') ? { env: [...env, { name: 'PORT', value: String(port) }] } : {}),
  };
}

function localObject(o: KubeObject): KubeObject {
  const spec = podSpecOf(o);
  if (!spec?.containers) return o;
  // Native sidecars (initContainers with restartPolicy: Always) are local images too.
  const local: PodSpec = { ...spec, containers: spec.containers.map(localContainer), ...(spec.initContainers ? { initContainers: spec.initContainers.map(localContainer) } : {}) };
  if (o.kind === 'Pod') return { ...o, spec: { ...o.spec, ...local } };
  return { ...o, spec: { ...o.spec, template: { ...o.spec.template, spec: local } } };
}

export function forRealNode(sc: Scenario): Scenario {
  const step = (s: Step): Step => ('apply' in s ? { apply: s.apply.map(localObject) } : s);
  return { ...sc, manifests: sc.manifests.map(localObject), steps: sc.steps.map(step) };
}

/** The pod templates of an Argo Rollouts AnalysisTemplate's Job metrics. */
const analysisJobPodSpecs = (o: KubeObject): PodSpec[] =>
  o.kind === 'AnalysisTemplate' || o.kind === 'ClusterAnalysisTemplate' ? ((o.spec?.metrics ?? []) as Array<{ provider?: { job?: { spec?: { template?: { spec?: { containers?: Container[] } } } } } }>).flatMap((m) => m.provider?.job?.spec?.template?.spec ?? []) : [];

/** Every image a scenario's pods may run, from its manifests (analysis Jobs included) and its set-image steps. */
export function scenarioImages(sc: Scenario): string[] {
  const objects = [...sc.manifests, ...sc.steps.flatMap((s) => ('apply' in s ? s.apply : []))];
  const images = objects.flatMap((o) => [podSpecOf(o), ...analysisJobPodSpecs(o)].flatMap((spec) => [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]).map((c) => c.image ?? ''));
  images.push(...sc.steps.flatMap((s) => ('setImage' in s ? [s.setImage.image] : [])));
  return [...new Set(images.filter(Boolean))];
}

/** True once every Service of the scenario accepts a TCP connection on its ClusterIP, i.e. kube-proxy has programmed it. */
export async function servicesAnswer(kubeconfig: string, services: string[], namespace = 'default'): Promise<boolean> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  for (const name of services) {
    const svc = await core.readNamespacedService({ name, namespace });
    const port = svc.spec?.ports?.[0]?.port;
    if (!svc.spec?.clusterIP || svc.spec.clusterIP === 'None' || !port) continue;
    // A connect, not a request: an app that answers slowly (RESPONSE_DELAY_MS) is still reachable.
    if (!(await connects(svc.spec.clusterIP, port, 1000))) return false;
  }
  return true;
}

function connects(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true)).once('timeout', () => done(false)).once('error', () => done(false));
  });
}

export const serviceNames = (sc: Scenario): string[] => sc.manifests.filter((o) => o.kind === 'Service' && o.metadata?.name).map((o) => o.metadata!.name!);

/** http://<ClusterIP>:<port>: a probe of a Service goes through kube-proxy on the real node. */
export async function clusterIpUrl(kubeconfig: string, service: string, namespace = 'default'): Promise<string> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const svc = await kc.makeApiClient(CoreV1Api).readNamespacedService({ name: service, namespace });
  return `http://${svc.spec?.clusterIP}:${svc.spec?.ports?.[0]?.port ?? 80}`;
}
