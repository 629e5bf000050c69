// route-config keys on the status the real proxy gives for each route mistake: 404 for a missing
// fallback route (Envoy NR), 503 for an unknown subset (Envoy NC), 500 for an HTTPRoute whose
// backendRef names no Service (Gateway API), and only for a mistake that came into force with the burst.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, ev, recording, service, snapshot, type RecordingSpec } from '../../fixtures/recordings/build.js';
import type { FailureSpec } from '../../fixtures/recordings/build.js';
import * as scenarios from '../../fixtures/recordings/scenarios.js';
import type { KubeObject } from '../../../src/types.js';

const causeIds = (spec: RecordingSpec): string[] => analyse(recording(spec)).incidents.flatMap((i) => i.causes.map((c) => c.id));

/** One failure every 0.4 s from `from` to `to` seconds, each answered `status`. */
function burst(status: number, from = 10.2, to = 15): FailureSpec[] {
  const out: FailureSpec[] = [];
  for (let s = from; s < to; s += 0.4) out.push({ s: Math.round(s * 100) / 100, status });
  return out;
}

const objs = [service('reviews', { app: 'web' }), scenarios.reviews('v1'), scenarios.reviews('v2')];
const headerOnly = (): KubeObject => {
  const vs = scenarios.virtualService({ v1: 100 }, { header: 'end-user', value: 'jason', subset: 'v2' });
  return { ...vs, spec: { ...vs.spec, http: [(vs.spec as { http: unknown[] }).http[0]] } };
};
const routeChanged = (s: number, kind: string, routes: string) => ev(s, 'reviews', { kind: 'route', type: 'changed', routeKind: kind, routes, weights: {}, change: 'updated', generation: 2 });

test('a catch-all route removed before a 404 burst is route-config; the same burst of 503 is not', () => {
  const spec = (status: number): RecordingSpec => ({
    seconds: 20, rps: 20, failures: burst(status),
    events: [routeChanged(10, 'VirtualService', 'end-user=jason -> reviews/v2')],
    snapshots: [snapshot(0, [...objs, scenarios.destinationRule(['v1', 'v2']), scenarios.virtualService({ v1: 100 })]),
      snapshot(10, [...objs, scenarios.destinationRule(['v1', 'v2']), headerOnly()])],
  });
  assert.deepEqual([causeIds(spec(404)).includes('route-config'), causeIds(spec(503)).includes('route-config')], [true, false]);
});

test('a missing fallback in the config as found, failing from the first second, is route-config', () => {
  const spec: RecordingSpec = {
    seconds: 20, rps: 20, failures: burst(404, 0.2, 8),
    events: [], snapshots: [snapshot(0, [...objs, scenarios.destinationRule(['v1', 'v2']), headerOnly()])],
  };
  assert.ok(causeIds(spec).includes('route-config'), causeIds(spec).join());
});

test('an unknown subset that had been in force, harmless, long before a 503 burst does not explain it', () => {
  // Envoy answers a rollout's cut requests with 503 too: an old, unchanged finding is not their cause.
  const withSubset = (since: number): RecordingSpec => ({
    seconds: 40, rps: 20, failures: burst(503, 30.2, 32),
    events: [], snapshots: [snapshot(0, [...objs, scenarios.destinationRule(['v1'])]),
      snapshot(since, [...objs, scenarios.destinationRule(['v1']), scenarios.virtualService({ v1: 100 }, { header: 'end-user', value: 'jason', subset: 'v3' })])],
  });
  assert.deepEqual([causeIds(withSubset(2)).includes('route-config'), causeIds(withSubset(28)).includes('route-config')], [false, true]);
});

test('an HTTPRoute pointed at a Service that does not exist explains a 500 burst (Gateway API), not a 503 one', () => {
  const route = (svc: string): KubeObject => ({
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'reviews', namespace: 'shop' },
    spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: svc, port: 80 }] }] },
  });
  const spec = (status: number): RecordingSpec => ({
    seconds: 20, rps: 20, failures: burst(status),
    events: [routeChanged(10, 'HTTPRoute', '* -> reviews-canary:80 100')],
    snapshots: [snapshot(0, [...objs, route('reviews')]), snapshot(10, [...objs, route('reviews-canary')])],
  });
  assert.deepEqual([causeIds(spec(500)).includes('route-config'), causeIds(spec(503)).includes('route-config')], [true, false]);
});
