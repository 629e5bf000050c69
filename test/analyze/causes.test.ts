// Cause rules on recorded event streams: each stream is explained by its cause, and only by it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, at, endpoint, ev, podDeleting, recording, type RecordingSpec } from '../fixtures/recordings/build.js';
import * as scenarios from '../fixtures/recordings/scenarios.js';
import { clockTime } from '../../src/format-time.js';
import type { Cause, Summary } from '../../src/types.js';

const run = (spec: RecordingSpec, cluster?: Summary['cluster']): Summary => analyse(recording(spec), cluster);

function onlyIncident(s: Summary): Summary['incidents'][number] {
  assert.equal(s.incidents.length, 1, `expected one incident, got ${JSON.stringify(s.incidents.map((i) => [i.start, i.end]))}`);
  return s.incidents[0]!;
}

const causeIds = (s: Summary): string[] => onlyIncident(s).causes.map((c) => c.id);
const text = (c: Cause | undefined): string => (c ? c.evidence.join('\n') : '');

const CASES: Array<[string, () => RecordingSpec, string]> = [
  ['a pod deleted without preStop while its endpoint lingers is a terminating endpoint', scenarios.terminatingEndpoint, 'terminating-endpoint'],
  ['an app that exits on SIGTERM with slow requests in flight is an abrupt shutdown', scenarios.abruptShutdown, 'abrupt-shutdown'],
  ['failures only on reused connections to a stopping pod are keep-alive reuse', scenarios.keepaliveReuse, 'keepalive-reuse'],
  ['a pod ready before its app listens is not-ready traffic', scenarios.notReadyTraffic, 'not-ready-traffic'],
  ['zero ready endpoints while requests fail is no-ready-endpoints', scenarios.noReadyEndpoints, 'no-ready-endpoints'],
  ['a SIGKILL after the grace period is grace-period-exceeded', scenarios.gracePeriodExceeded, 'grace-period-exceeded'],
  ['a weight shifted to an undefined subset with a 503 burst is route-config', scenarios.routeConfig, 'route-config'],
  ['failures nothing recorded explains are unknown', scenarios.unexplained, 'unknown'],
];

for (const [name, build, id] of CASES) {
  test(name, () => {
    const s = run(build());
    assert.deepEqual(causeIds(s), [id]);
    const c = onlyIncident(s).causes[0]!;
    assert.ok(c.evidence.length >= 1 && c.evidence.every((e) => e.length > 20), 'evidence is sentences');
    assert.ok(c.fix.length > 20, 'a fix is given');
  });
}

test('terminating-endpoint evidence gives the delete, the missing hook and the 430 ms the endpoint lingered', () => {
  const c = onlyIncident(run(scenarios.terminatingEndpoint())).causes[0];
  const ev = text(c);
  assert.match(ev, new RegExp(`pod web-5d8f-old01 got its delete at ${clockTime(at(11.2)).replace('.', '\\.')}`));
  assert.match(ev, /no preStop hook/);
  assert.match(ev, new RegExp(`marked terminating at ${clockTime(at(11.63)).replace('.', '\\.')} — 430 ms`));
  assert.match(ev, /3 failures \(2× refused, 1× 502\) of 3/);
  assert.match(c!.fix, /preStop/);
});

test('a preStop hook that outlasts endpoint propagation clears the pod of terminating-endpoint', () => {
  const spec = scenarios.terminatingEndpoint();
  spec.events = spec.events!.map((e) => (e.kind === 'pod' && e.type === 'deleting' ? { ...e, preStop: 'sleep 5s' } : e));
  assert.ok(!causeIds(run(spec)).includes('terminating-endpoint'));
});

test('abrupt-shutdown names the exit code and the time from SIGTERM to exit', () => {
  const ev = text(onlyIncident(run(scenarios.abruptShutdown())).causes[0]);
  assert.match(ev, /exit code 143 \(Error\)/);
  assert.match(ev, /exited 50 ms later/);
  assert.match(ev, /preStop sleep 5s/);
});

test('keep-alive reuse is not claimed when the probe used only reused connections', () => {
  const spec = scenarios.keepaliveReuse();
  spec.config = { connection: 'reuse' };
  assert.ok(!causeIds(run(spec)).includes('keepalive-reuse'));
});

test('keep-alive reuse is not claimed when new connections failed as much', () => {
  const spec = scenarios.keepaliveReuse();
  spec.failures = spec.failures!.map((f, i) => ({ ...f, mode: i % 2 ? 'new' : 'reuse' }));
  assert.ok(!causeIds(run(spec)).includes('keepalive-reuse'));
});

test('not-ready-traffic says the Deployment has no readinessProbe and that failures hit the fresh address', () => {
  const ev = text(onlyIncident(run(scenarios.notReadyTraffic())).causes[0]);
  assert.match(ev, /Deployment\/web has no readinessProbe/);
  assert.match(ev, /100 ms after its container started/);
  assert.match(ev, /5 of the failures went to its fresh address 10\.0\.0\.12/);
});

test('a new pod that joins normally (readinessProbe, failures elsewhere) is not blamed', () => {
  const spec = scenarios.notReadyTraffic();
  spec.snapshots = spec.snapshots!.map((s) => ({ ...s, objects: s.objects.map((o) => (o.kind === 'Deployment' ? { ...o, spec: { ...o.spec, template: { ...o.spec.template, spec: { ...o.spec.template.spec, containers: [{ ...o.spec.template.spec.containers[0], readinessProbe: { httpGet: { path: '/' } } }] } } } } : o)) }));
  spec.failures = spec.failures!.map(({ remote: _r, ...f }) => f);
  assert.deepEqual(causeIds(run(spec)), ['unknown']);
});

test('no-ready-endpoints gives the zero span and the count before it', () => {
  const ev = text(onlyIncident(run(scenarios.noReadyEndpoints())).causes[0]);
  assert.match(ev, /service web had 0 ready endpoints from .* until .* \(3\.7 s with nothing to send traffic to\)/);
  assert.match(ev, /before that it had 1 ready endpoint$/m);
});

test('grace-period-exceeded cites the grace period and the kubelet event', () => {
  const ev = text(onlyIncident(run(scenarios.gracePeriodExceeded())).causes[0]);
  assert.match(ev, /10 s grace period/);
  assert.match(ev, /ExceededGracePeriod/);
});

test('route-config cites the lint finding of the config in force and the 503 burst', () => {
  const ev = text(onlyIncident(run(scenarios.routeConfig())).causes[0]);
  assert.match(ev, /VirtualService\/shop\/reviews/);
  assert.match(ev, /v2/);
  assert.match(ev, /12 of 12 failures were 503 answers, the status that mistake gives/);
});

test('route-config cites the route change, not the routes listed when watching began', () => {
  const spec = scenarios.routeConfig();
  const listed = ev(1, 'reviews', { kind: 'route', type: 'changed', routeKind: 'VirtualService', routes: '* -> reviews/v1 100', weights: {}, change: 'updated', generation: 1 });
  spec.events = [{ ...listed, initial: true }, ...spec.events!];
  const lines = onlyIncident(run(spec)).causes[0]!.evidence;
  assert.match(lines[0]!, /VirtualService reviews changed at .*reviews\/v2 10/);
  assert.ok(!lines.some((l) => l.includes('reviews/v1 100')), lines.join('\n'));
});

test('unknown says when the cluster was not watched', () => {
  const spec = scenarios.unexplained();
  spec.events = [];
  spec.snapshots = [];
  const s = run(spec, { watched: false, problems: [], gaps: [] });
  const c = onlyIncident(s).causes[0]!;
  assert.equal(c.id, 'unknown');
  assert.match(c.evidence[0]!, /not watched/);
  assert.equal(s.cluster.watched, false);
  assert.match(s.cluster.problems.join(), /--deployment/);
});

test('a clean graceful rollout has no incident and no lifecycle finding', () => {
  const s = run(scenarios.cleanRollout());
  assert.equal(s.totals.failed, 0);
  assert.deepEqual(s.incidents, []);
  assert.deepEqual(s.findings.filter((f) => f.id.startsWith('deploy-')).map((f) => f.id), []);
  assert.equal(s.cluster.watched, true);
});

test('terminating-endpoint describes every pod of a rollout that stopped too early, not just the first', () => {
  const spec = scenarios.terminatingEndpoint();
  spec.failures = [...spec.failures!, { s: 14.2, error: 'refused', mode: 'new' }, { s: 14.6, error: 'refused', mode: 'reuse' }, { s: 12.1, status: 502 }, { s: 12.8, status: 502 }, { s: 13.5, status: 502 }];
  spec.events = [...spec.events!, podDeleting(14, 'web-5d8f-old02', { ip: '10.0.0.21' }), endpoint(14.5, 'terminating', 'web-5d8f-old02', '10.0.0.21', { ready: false, terminating: true })].sort((a, b) => a.at - b.at);
  const c = onlyIncident(run(spec)).causes.find((x) => x.id === 'terminating-endpoint');
  assert.match(text(c), /pod web-5d8f-old01 got its delete/);
  assert.match(text(c), /pod web-5d8f-old02 got its delete/);
});
