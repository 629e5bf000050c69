// Small factories for the Kubernetes objects the gateway reads, shaped like real ones.
import type { EndpointSlice, KubeObject } from '../../../src/kube/object.js';

const meta = (name: string, extra: Record<string, unknown> = {}): KubeObject['metadata'] => ({ name, namespace: 'default', ...extra });

export function service(name: string, port = 80, targetPort: number | string = 8080, portName = 'http'): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: meta(name), spec: { selector: { app: name }, ports: [{ name: portName, port, targetPort }] } };
}

export interface Ep {
  ip: string;
  pod?: string;
  ready?: boolean;
  terminating?: boolean;
}

export function slice(svc: string, port: number, eps: Ep[], portName = 'http'): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
    metadata: meta(`${svc}-abcde`, { labels: { 'kubernetes.io/service-name': svc } }),
    ports: [{ name: portName, port, protocol: 'TCP' }],
    endpoints: eps.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: e.ready ?? true, serving: e.ready ?? true, terminating: e.terminating ?? false },
      ...(e.pod === undefined ? {} : { targetRef: { kind: 'Pod', namespace: 'default', name: e.pod } }),
    })),
  };
}

export function pod(name: string, labels: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta(name, { labels }), spec: {} };
}

export function destinationRule(host: string, subsets: string[], name = host): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1beta1', kind: 'DestinationRule', metadata: meta(name),
    spec: { host, subsets: subsets.map((s) => ({ name: s, labels: { version: s } })) },
  };
}

export function virtualService(name: string, hosts: string[], http: unknown[]): KubeObject {
  return { apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', metadata: meta(name), spec: { hosts, http } };
}

export const to = (host: string, subset?: string, weight?: number): Record<string, unknown> => ({
  destination: subset === undefined ? { host } : { host, subset },
  ...(weight === undefined ? {} : { weight }),
});

export function ingress(name: string, paths: Array<[string, string, number?]>, annotations: Record<string, string> = {}, host?: string): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta(name, { annotations }),
    spec: {
      ingressClassName: 'nginx',
      rules: [{
        ...(host === undefined ? {} : { host }),
        http: { paths: paths.map(([path, svc, port]) => ({ path, pathType: 'ImplementationSpecific', backend: { service: { name: svc, port: { number: port ?? 80 } } } })) },
      }],
    },
  };
}

/** A Service `name` whose pods `${name}-${version}-0` carry `version` labels, one per address. */
export function versionedService(name: string, port: number, versions: Record<string, string[]>): KubeObject[] {
  const eps: Ep[] = [];
  const pods: KubeObject[] = [];
  for (const [version, ips] of Object.entries(versions)) {
    ips.forEach((ip, i) => {
      const podName = `${name}-${version}-${i}`;
      pods.push(pod(podName, { app: name, version }));
      eps.push({ ip, pod: podName });
    });
  }
  return [service(name, port, port), slice(name, port, eps), ...pods];
}

/** An HTTPRoute sending every request to `svc` on `port`. */
export function httpRoute(name: string, svc: string, port: number): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: meta(name),
    spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: svc, port }] }] },
  };
}
