import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CoreEvent, KubeObject } from '../../src/kube/object.js';
import { inScope, routeTargets, type Known } from '../../src/watch/in-scope.js';
import type { Scope } from '../../src/watch/scope.js';
import { parseSelector } from '../../src/kube/selector.js';

const scope: Scope = {
  namespace: 'shop', all: false, podSelector: parseSelector('app=web'), podLabels: { app: 'web', version: 'v1' },
  deployment: 'web', services: new Set(['web']), rollout: { flavor: 'kruise', name: 'web-rollout' }, problems: [],
};
const known: Known = { services: new Set(['web', 'web-canary']), pods: new Set(['web-abc-1']), replicasets: new Set(['web-abc']), nodes: new Set(['n1']) };

const svc = (name: string, selector: Record<string, string>): KubeObject => ({ kind: 'Service', metadata: { name }, spec: { selector } });
const workload = (kind: string, name: string, labels: Record<string, string>, owner?: string): KubeObject => ({
  kind, metadata: { name, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: owner }] } : {}) }, spec: { template: { metadata: { labels } } },
});
const ev = (kind: string, name: string): CoreEvent => ({ kind: 'Event', metadata: { name: 'x' }, involvedObject: { kind, name } });

describe('inScope', () => {
  const cases: Array<[string, Parameters<typeof inScope>[0], KubeObject, boolean]> = [
    ['the named service', 'service', svc('web', { app: 'x' }), true],
    ['a service selecting the pods by app only', 'service', svc('web-internal', { app: 'web' }), true],
    ['a service of another app', 'service', svc('api', { app: 'api' }), false],
    ['the Kruise canary service of a scoped service', 'service', svc('web-canary', { app: 'web', 'pod-template-hash': 'h' }), true],
    ['a service with no selector', 'service', svc('external', {}), false],
    ['the deployment by name', 'deployment', workload('Deployment', 'web', { app: 'other' }), true],
    ['a v2 deployment whose pods the selector matches', 'deployment', workload('Deployment', 'web-v2', { app: 'web', version: 'v2' }), true],
    ['another deployment', 'deployment', workload('Deployment', 'api', { app: 'api' }), false],
    ['a replicaset owned by the deployment', 'replicaset', workload('ReplicaSet', 'web-1', { x: 'y' }, 'web'), true],
    ['a node a watched pod runs on', 'node', { kind: 'Node', metadata: { name: 'n1' } }, true],
    ['a node none of them runs on', 'node', { kind: 'Node', metadata: { name: 'n2' } }, false],
    ['a PodDisruptionBudget selecting the pods', 'pdb', { kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } } } }, true],
    ['a PodDisruptionBudget of another app', 'pdb', { kind: 'PodDisruptionBudget', metadata: { name: 'api' }, spec: { selector: { matchLabels: { app: 'api' } } } }, false],
    ['a slice of a known service', 'endpoint', { metadata: { name: 's', labels: { 'kubernetes.io/service-name': 'web-canary' } } }, true],
    ['a slice of another service', 'endpoint', { metadata: { name: 's', labels: { 'kubernetes.io/service-name': 'api' } } }, false],
    ['an Event of a known pod', 'event', ev('Pod', 'web-abc-1'), true],
    ['an Event of a pod not seen yet but named after the deployment', 'event', ev('Pod', 'web-zzz-9'), true],
    ['an Event of another pod', 'event', ev('Pod', 'api-1'), false],
    ['an Event of the deployment', 'event', ev('Deployment', 'web'), true],
    ['an Event of the rollout', 'event', ev('Rollout', 'web-rollout'), true],
    ['an Event of a node a watched pod runs on', 'event', ev('Node', 'n1'), true],
    ['an Event of another node', 'event', ev('Node', 'n2'), false],
    ['a VirtualService routing to the service by FQDN', 'route', { kind: 'VirtualService', spec: { http: [{ route: [{ destination: { host: 'web.shop.svc.cluster.local' } }] }] } }, true],
    ['a VirtualService of another host', 'route', { kind: 'VirtualService', spec: { http: [{ route: [{ destination: { host: 'api' } }] }] } }, false],
    ['the named Kruise rollout', 'rollout', { apiVersion: 'rollouts.kruise.io/v1beta1', kind: 'Rollout', metadata: { name: 'web-rollout' } }, true],
    ['an Argo rollout of the same name is another thing', 'rollout', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web-rollout' } }, false],
  ];
  for (const [name, role, obj, want] of cases) it(`${want ? 'keeps' : 'drops'} ${name}`, () => assert.equal(inScope(role, scope, obj, known), want));

  it('keeps everything when nothing was named', () => {
    assert.equal(inScope('event', { ...scope, all: true }, ev('Node', 'n1'), known), true);
  });
});

describe('routeTargets', () => {
  it('reads the services an Ingress, an HTTPRoute and a DestinationRule point at', () => {
    assert.deepEqual(routeTargets({ kind: 'Ingress', spec: { defaultBackend: { service: { name: 'a' } }, rules: [{ http: { paths: [{ backend: { service: { name: 'b' } } }] } }] } }), ['a', 'b']);
    assert.deepEqual(routeTargets({ kind: 'HTTPRoute', spec: { rules: [{ backendRefs: [{ name: 'web' }, { name: 'web-canary' }] }] } }), ['web', 'web-canary']);
    assert.deepEqual(routeTargets({ kind: 'DestinationRule', spec: { host: 'reviews.bookinfo.svc.cluster.local' } }), ['reviews']);
  });
});
