// Traffic split checks: declared weights (VirtualService, HTTPRoute, canary annotation, rollout steps) vs observed shares.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, at, ev, recording, service, snapshot, type RecordingSpec } from '../fixtures/recordings/build.js';
import { destinationRule, reviews, virtualService } from '../fixtures/recordings/scenarios.js';
import { wilson } from '../../src/analyze/splits/wilson.js';
import { normalise, mapDestinations } from '../../src/analyze/splits/versions.js';
import { SETTLE_MS } from '../../src/analyze/splits/index.js';
import { canaryWeights } from '../../src/analyze/splits/declared.js';
import type { KubeObject, Split } from '../../src/types.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderTerminal } from '../../src/report/terminal.js';

const istio = [service('reviews', { app: 'web' }), reviews('v1'), reviews('v2'), destinationRule(['v1', 'v2'])];

/** share: fraction of version 2 in each second (exact, by request index). */
const shares = (byTime: (t: number) => number) => (t: number, i: number): string => (i < Math.round(20 * (1 - byTime(t))) ? '1' : '2');

function splits(spec: Partial<RecordingSpec> & { snapshots: RecordingSpec['snapshots'] }): Split[] {
  return analyse(recording({ seconds: 30, rps: 20, ...spec })).splits;
}

test('the Wilson 99% interval of 50/100 is about 37.5%–62.5%, and stays inside [0, 1]', () => {
  const [lo, hi] = wilson(50, 100);
  assert.ok(Math.abs(lo - 0.3753) < 0.001 && Math.abs(hi - 0.6247) < 0.001, `${lo} ${hi}`);
  assert.deepEqual(wilson(0, 10).map((x) => x >= 0 && x <= 1), [true, true]);
  assert.equal(wilson(10, 10)[1], 1);
});

test('versions are compared without a leading v', () => {
  assert.equal(normalise('v2'), '2');
  assert.equal(normalise('V1.24.0'), '1.24.0');
  assert.equal(normalise('version'), 'version');
});

test('a subset maps to the observed version its DestinationRule labels name', () => {
  const m = mapDestinations(['reviews/v1', 'reviews/v2'], snapshot(0, istio), ['2', '1']);
  assert.deepEqual([...m], [['reviews/v1', '1'], ['reviews/v2', '2']]);
});

test('a 90/10 VirtualService step with 90/10 traffic passes, with the settle margin skipped', () => {
  const out = splits({
    version: shares((t) => (t < 10 ? 0 : 0.1)),
    snapshots: [snapshot(0, [...istio, virtualService({ v1: 100, v2: 0 })]), snapshot(10, [...istio, virtualService({ v1: 90, v2: 10 })])],
  });
  assert.equal(out.length, 2);
  assert.deepEqual(out.map((s) => s.passed), [true, true]);
  assert.deepEqual(out[1]!.declared, { 1: 90, 2: 10 });
  assert.deepEqual(out[1]!.observed, { 1: 90, 2: 10 });
  assert.equal(out[1]!.start, out[0]!.end + SETTLE_MS);
  assert.equal(out[1]!.n, 17 * 20);
});

test('a 50/50 step that served 80/20 fails', () => {
  const out = splits({
    version: shares((t) => (t < 10 ? 0 : 0.2)),
    snapshots: [snapshot(0, [...istio, virtualService({ v1: 100 })]), snapshot(10, [...istio, virtualService({ v1: 50, v2: 50 })])],
  });
  assert.deepEqual(out.map((s) => s.passed), [true, false]);
  assert.equal(out[1]!.observed['2'], 20);
  assert.ok(out[1]!.interval['2']![1] < 50);
});

test('traffic that flips to the new version in the same second as a 100/0 step does not fail the step (settle margin)', () => {
  const out = splits({
    version: shares((t) => (t < 11 ? 0 : 1)),
    snapshots: [snapshot(0, [...istio, virtualService({ v1: 100, v2: 0 })]), snapshot(10, [...istio, virtualService({ v1: 0, v2: 100 })])],
  });
  assert.deepEqual(out.map((s) => s.passed), [true, true]);
});

const headerRoute = { header: 'end-user', value: 'test-user', subset: 'v2' };

test('a header route must send the matching probe 100% to its version', () => {
  const snaps = [snapshot(0, [...istio, virtualService({ v1: 50, v2: 50 }, headerRoute)])];
  const good = splits({ version: () => '2', config: { headers: { 'End-User': 'test-user' } }, snapshots: snaps });
  assert.equal(good.length, 1);
  assert.deepEqual(good[0]!.declared, { 2: 100 });
  assert.equal(good[0]!.passed, true);
  const leaky = splits({ version: (t, i) => (t === 5 && i === 0 ? '1' : '2'), config: { headers: { 'end-user': 'test-user' } }, snapshots: snaps });
  assert.equal(leaky[0]!.passed, false, 'one response from v1 breaks a header route');
});

test('without the header the probe is judged against the weighted fallback route', () => {
  const out = splits({ version: shares(() => 0.5), snapshots: [snapshot(0, [...istio, virtualService({ v1: 50, v2: 50 }, headerRoute)])] });
  assert.deepEqual(out[0]!.declared, { 1: 50, 2: 50 });
  assert.equal(out[0]!.passed, true);
});

test('Kruise step weights are checked as stable/canary shares', () => {
  const step = (s: number, n: number, weight: number | null) => ev(s, 'web', { kind: 'rollout', type: 'step', flavor: 'kruise', step: n, steps: 3, weight, replicas: null, state: 'StepPaused', phase: 'Progressing', message: null, change: 'updated' });
  const out = splits({
    seconds: 40,
    version: shares((t) => (t < 10 ? 0 : t < 20 ? 0.5 : 0.8)),
    events: [step(10, 2, 50), step(20, 3, 80), ev(30, 'web', { kind: 'rollout', type: 'changed', flavor: 'kruise', step: 3, steps: 3, weight: null, state: null, phase: 'Healthy', message: null, change: 'updated' })],
    snapshots: [snapshot(0, [service('web'), reviews('v1')])],
  });
  assert.deepEqual(out.map((s) => [s.source, s.declared, s.passed]), [
    ['Rollout kruise/web', { 1: 50, 2: 50 }, true],
    ['Rollout kruise/web', { 1: 20, 2: 80 }, true],
  ]);
});

test('a Kruise step is judged from when it routes traffic until the rollout starts finalising', () => {
  const kruise = (s: number, type: 'step' | 'changed', step: number, weight: number | null, state: string, phase = 'Progressing') =>
    ev(s, 'web', { kind: 'rollout', type, flavor: 'kruise', step, steps: 3, weight, replicas: null, state, phase, message: null, change: 'updated' });
  const out = splits({
    seconds: 40,
    // The canary scales up for 6 s before traffic moves; finalising then rolls everything to 2.
    version: shares((t) => (t < 16 ? 0 : t < 30 ? 0.5 : 1)),
    events: [kruise(10, 'step', 2, 50, 'StepUpgrade'), kruise(16, 'changed', 2, 50, 'StepTrafficRouting'), kruise(30, 'changed', 2, 50, 'Completed'), kruise(36, 'changed', 2, 50, 'Completed', 'Healthy')],
    snapshots: [snapshot(0, [service('web'), reviews('v1')])],
  });
  assert.deepEqual(out.map((s) => [s.declared, s.observed, s.passed]), [[{ 1: 50, 2: 50 }, { 1: 50, 2: 50 }, true]]);
  assert.equal(out[0]!.start, at(16) + SETTLE_MS);
  assert.equal(out[0]!.end, at(30));
});

const ingress = (name: string, svc: string, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: 'shop', annotations },
  spec: { rules: [{ host: 'shop.example.test', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: svc, port: { number: 80 } } } }] } }] },
});

test('an ingress-nginx canary weight is checked against the main Ingress backend', () => {
  const objs = [service('web-v1', { app: 'web', version: 'v1' }), service('web-v2', { app: 'web', version: 'v2' }), reviews('v1'), reviews('v2')].map((o) => (o.kind === 'Deployment' ? { ...o, spec: { ...o.spec, template: { ...o.spec.template, metadata: { labels: { app: 'web', version: o.metadata!.name!.slice(-2) } } } } } : o));
  const canary = ingress('web-canary', 'web-v2', { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '20' });
  const out = splits({ version: shares(() => 0.2), snapshots: [snapshot(0, [...objs, ingress('web', 'web-v1'), canary])] });
  assert.equal(out.length, 1);
  assert.equal(out[0]!.source, 'Ingress/shop/web-canary');
  assert.deepEqual(out[0]!.declared, { 1: 80, 2: 20 });
  assert.equal(out[0]!.passed, true);
});

test('HTTPRoute backendRefs weights are checked', () => {
  const route: KubeObject = {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'web', namespace: 'shop' },
    spec: { rules: [{ backendRefs: [{ name: 'reviews-v1', port: 80, weight: 3 }, { name: 'reviews-v2', port: 80, weight: 1 }] }] },
  };
  const out = splits({ version: shares(() => 0.5), snapshots: [snapshot(0, [route])] });
  assert.deepEqual(out[0]!.declared, { 1: 75, 2: 25 });
  assert.equal(out[0]!.passed, false);
});

test('a failed split fails the gate with the source named', () => {
  const s = analyse(recording({ seconds: 20, rps: 20, version: shares(() => 0.2), snapshots: [snapshot(0, [...istio, virtualService({ v1: 50, v2: 50 })])] }));
  assert.equal(s.gate.passed, false);
  assert.match(s.gate.reasons.join(), /traffic split .*VirtualService\/shop\/reviews/);
  assert.equal(s.gate.checks.at(-1)!.passed, false);
});

test('an ingress-nginx canary declares what the routing model gives the probe: by header, else by weight', () => {
  const ann = (extra: Record<string, string>) => ({ 'nginx.ingress.kubernetes.io/canary': 'true', ...extra });
  const req = (headers: Record<string, string> = {}, path = '/') => ({ path, method: 'GET', headers });
  const main = ingress('web', 'web-v1');
  const byHeader = ingress('web-canary', 'web-v2', ann({ 'nginx.ingress.kubernetes.io/canary-by-header': 'X-Canary', 'nginx.ingress.kubernetes.io/canary-weight': '10' }));
  assert.deepEqual(canaryWeights(byHeader, [main, byHeader], req({ 'x-canary': 'always' })), { 'web-v1': 0, 'web-v2': 100 });
  assert.deepEqual(canaryWeights(byHeader, [main, byHeader], req({ 'x-canary': 'never' })), { 'web-v1': 100, 'web-v2': 0 });
  assert.deepEqual(canaryWeights(byHeader, [main, byHeader], req()), { 'web-v1': 90, 'web-v2': 10 });
  const off = ingress('web-canary', 'web-v2', ann({ 'nginx.ingress.kubernetes.io/canary-weight': '0' }));
  assert.deepEqual(canaryWeights(off, [main, off], req()), { 'web-v1': 100, 'web-v2': 0 });
  assert.equal(canaryWeights(off, [off], req()), undefined, 'no main Ingress for the host');
});

test('an Argo canary without trafficRouting is a replica ratio: shown as approximate, not gated', () => {
  const argo = (withRouter: boolean): KubeObject => ({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web', namespace: 'shop' },
    spec: { strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }], ...(withRouter ? { trafficRouting: { nginx: { stableIngress: 'web' } } } : {}) } } },
  });
  const step = ev(10, 'web', { kind: 'rollout', type: 'step', flavor: 'argo', step: 1, steps: 2, weight: 50, replicas: null, state: null, phase: 'Paused', message: null, change: 'updated' });
  // Kept-alive connections stay on one pod: 70/30 observed for a declared 50/50.
  const run = (withRouter: boolean) => analyse(recording({ seconds: 30, rps: 20, version: shares((t) => (t < 10 ? 0 : 0.3)), events: [step], snapshots: [snapshot(0, [service('web'), reviews('v1'), argo(withRouter)])] }));
  const plain = run(false);
  assert.equal(plain.splits.length, 1);
  assert.equal(plain.splits[0]!.passed, false);
  assert.match(plain.splits[0]!.approximate ?? '', /replica/);
  assert.equal(plain.gate.checks.some((c) => c.id === 'splits'), false);
  assert.match(renderTerminal(plain), /— approximate\n  approximate, not gated: replica-based canary/);
  assert.doesNotMatch(renderJunit(plain), /<failure[^>]*observed shares differ/);
  const routed = run(true);
  assert.equal(routed.splits[0]!.approximate, undefined);
  assert.equal(routed.gate.checks.find((c) => c.id === 'splits')?.passed, false);
});
