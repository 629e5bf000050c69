import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/types.js';
import type { ClusterEvent } from '../../src/types.js';
import type { RolloutEvent, RouteEvent } from '../../src/watch/cluster-event.js';
import { diffRollout, diffRoute, routeSummary } from '../../src/watch/diff-route.js';

const AT = 1_700_000_000_000;

function route(e: ClusterEvent | undefined): RouteEvent {
  assert.ok(e?.kind === 'route', `a route event, not ${e?.kind}`);
  return e;
}

function rollout(e: ClusterEvent | undefined): RolloutEvent {
  assert.ok(e?.kind === 'rollout', `a rollout event, not ${e?.kind}`);
  return e;
}

function vs(http: any[]): KubeObject {
  return { apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'bookinfo', generation: 1 }, spec: { hosts: ['reviews'], http } };
}
const to = (subset: string, weight?: number) => ({ destination: { host: 'reviews', subset }, ...(weight === undefined ? {} : { weight }) });

describe('route summaries', () => {
  it('summarizes a header route plus a weighted catch-all (Bookinfo step 2)', () => {
    const d = routeSummary(vs([
      { match: [{ headers: { 'end-user': { exact: 'test-user' } } }], route: [to('v2')] },
      { route: [to('v1', 50), to('v2', 50)], retries: { attempts: 3, retryOn: '5xx' } },
    ]));
    assert.deepEqual(d, {
      routeKind: 'VirtualService',
      routes: 'end-user=test-user -> reviews/v2 100; * -> reviews/v1 50, reviews/v2 50 retries=3:5xx',
      weights: { 'reviews/v1': 50, 'reviews/v2': 50 },
    });
  });

  it('declares no weights when every route has a match (no fallback)', () => {
    const d = routeSummary(vs([{ match: [{ headers: { 'x-debug': { regex: '.*debug.*' } } }], route: [to('debug')] }]));
    assert.equal(d.routes, 'x-debug~.*debug.* -> reviews/debug 100');
    assert.deepEqual(Object.keys(d.weights), []);
  });

  it('lists DestinationRule subsets', () => {
    const dr: KubeObject = { kind: 'DestinationRule', metadata: { name: 'reviews' }, spec: { host: 'reviews', subsets: [
      { name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] } };
    assert.equal(routeSummary(dr).routes, 'reviews: v1{version=v1} v2{version=v2}');
  });

  it('shows Ingress paths, backends and the nginx canary and retry annotations', () => {
    const ing: KubeObject = {
      kind: 'Ingress',
      metadata: { name: 'web', annotations: { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '20',
        'nginx.ingress.kubernetes.io/proxy-next-upstream': 'error timeout', 'unrelated/thing': 'x' } },
      spec: { rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', backend: { service: { name: 'web-green', port: { number: 80 } } } }] } }] },
    };
    assert.equal(routeSummary(ing).routes,
      'shop.example.com/ -> web-green:80; canary=true; canary-weight=20; proxy-next-upstream=error timeout');
  });

  it('turns HTTPRoute relative weights into percent', () => {
    const r: KubeObject = { kind: 'HTTPRoute', metadata: { name: 'web' }, spec: { rules: [
      { matches: [{ headers: [{ name: 'version', value: 'canary' }] }], backendRefs: [{ name: 'web-canary', port: 80 }] },
      { backendRefs: [{ name: 'web', port: 80, weight: 3 }, { name: 'web-canary', port: 80, weight: 1 }] }] } };
    const d = routeSummary(r);
    assert.equal(d.weights['web'], 75);
    assert.equal(d.weights['web-canary'], 25);
    assert.equal(d.routes, 'version=canary -> web-canary:80 1; * -> web:80 3, web-canary:80 1');
  });
});

describe('diffRoute', () => {
  const a = vs([{ route: [to('v1', 100), to('v2', 0)] }]);
  const b = vs([{ route: [to('v1', 90), to('v2', 10)] }]);
  it('reports a weight shift as changed/updated', () => {
    const e = route(diffRoute(a, b, AT)[0]);
    assert.equal(e.type, 'changed');
    assert.equal(e.change, 'updated');
    assert.equal(e.weights['reviews/v2'], 10);
  });
  it('ignores updates that do not change routing', () => {
    assert.deepEqual(diffRoute(a, { ...a, metadata: { ...a.metadata, labels: { x: 'y' } } }, AT), []);
  });
  it('reports creation and deletion', () => {
    assert.equal(route(diffRoute(undefined, a, AT)[0]).change, 'created');
    assert.equal(route(diffRoute(a, undefined, AT)[0]).change, 'deleted');
  });
});

function kruise(step: number, state: string, phase = 'Progressing'): KubeObject {
  return {
    apiVersion: 'rollouts.kruise.io/v1beta1', kind: 'Rollout', metadata: { name: 'rollouts-demo', namespace: 'demo' },
    spec: { workloadRef: { kind: 'Deployment', name: 'echoserver' }, strategy: { canary: { steps: [
      { replicas: 1, matches: [{ headers: [{ name: 'version', value: 'canary' }] }] },
      { traffic: '50%', replicas: '50%' }, { traffic: '80%', replicas: '80%' }] } } },
    status: { phase, canaryStatus: { currentStepIndex: step, currentStepState: state } },
  };
}

function argo(step: number, phase = 'Paused'): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web' },
    spec: { strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: { duration: '1m' } }] } } },
    status: { currentStepIndex: step, phase },
  };
}

describe('diffRollout', () => {
  it('reports a Kruise step change with the declared weight of the new step', () => {
    const e = rollout(diffRollout(kruise(1, 'StepPaused'), kruise(2, 'StepUpgrade'), AT)[0]);
    assert.equal(e.type, 'step');
    assert.deepEqual([e.flavor, e.step, e.weight, e.state], ['kruise', 2, 50, 'StepUpgrade']);
  });
  it('reports a state change within a step as changed', () => {
    const [e] = diffRollout(kruise(2, 'StepUpgrade'), kruise(2, 'StepPaused'), AT);
    assert.equal(e?.type, 'changed');
  });
  it('has no weight for a header-only step', () => {
    assert.equal(rollout(diffRollout(undefined, kruise(1, 'StepPaused'), AT)[0]).weight, null);
  });
  it('computes the Argo weight from the last setWeight at or before the current step', () => {
    assert.equal(rollout(diffRollout(argo(0), argo(1), AT)[0]).weight, 20);
    assert.equal(rollout(diffRollout(argo(1), argo(3), AT)[0]).weight, 60);
    assert.equal(rollout(diffRollout(argo(3), argo(4, 'Healthy'), AT)[0]).weight, 100);
    assert.equal(rollout(diffRollout(argo(3), argo(4, 'Healthy'), AT)[0]).flavor, 'argo');
  });
  it('says nothing when progress did not change', () => {
    assert.deepEqual(diffRollout(argo(1), argo(1), AT), []);
  });
});
