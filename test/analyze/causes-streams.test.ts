// The causes a container kill, a disruption or the traffic itself explains, on recorded event streams.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, coreEvent, podDeleting, recording, terminated, type RecordingSpec } from '../fixtures/recordings/build.js';
import * as streams from '../fixtures/recordings/streams.js';
import * as scenarios from '../fixtures/recordings/scenarios.js';
import type { Summary } from '../../src/types.js';

const run = (spec: RecordingSpec): Summary => analyse(recording(spec));

function causesOf(spec: RecordingSpec): Summary['incidents'][number]['causes'] {
  const s = run(spec);
  assert.equal(s.incidents.length, 1, `expected one incident, got ${s.incidents.length}`);
  return s.incidents[0]!.causes;
}
const ids = (spec: RecordingSpec): string[] => causesOf(spec).map((c) => c.id);
const text = (spec: RecordingSpec): string => causesOf(spec).flatMap((c) => c.evidence).join('\n');

const CASES: Array<[string, () => RecordingSpec, string]> = [
  ['a container killed with reason OOMKilled under traffic is oom-killed', streams.oomKilled, 'oom-killed'],
  ['a container killed after failed liveness probes is liveness-restart', streams.livenessRestart, 'liveness-restart'],
  ['replicas lowered with the template unchanged is scale-down', () => streams.scaleDown(), 'scale-down'],
  ['a pod marked DisruptionTarget by the Eviction API is eviction', streams.eviction, 'eviction'],
  ['5xx answers tagged with the new version are bad-version', () => streams.badVersion(), 'bad-version'],
  ['a pod answering up to its SIGTERM after a 3 s preStop is proxy-lag', () => streams.proxyLag(), 'proxy-lag'],
  ['a lone 502 with nothing changing in the cluster is an upstream keep-alive race', streams.keepaliveRace, 'upstream-keepalive-race'],
];

for (const [name, build, id] of CASES) {
  test(name, () => {
    const causes = causesOf(build());
    assert.deepEqual(causes.map((c) => c.id), [id]);
    assert.ok(causes[0]!.evidence.every((e) => e.length > 20) && causes[0]!.fix.length > 20);
  });
}

test('oom-killed gives the kill, the memory limit and the restart', () => {
  const ev = text(streams.oomKilled());
  assert.match(ev, /OOM killer at .* \(exit code 137, reason OOMKilled\)/);
  assert.match(ev, /memory limit was 64Mi/);
  assert.match(ev, /restarted it at .* \(restart count 1\)/);
});

test('exit 137 at the grace deadline with no event is grace-period-exceeded; OOMKilled there is not', () => {
  const spec = scenarios.gracePeriodExceeded();
  spec.events = spec.events!.filter((e) => e.type !== 'ExceededGracePeriod');
  assert.deepEqual(ids(spec), ['grace-period-exceeded']);
  assert.match(text(spec), /SIGKILL at the deadline/);
  spec.events = spec.events.map((e) => (e.kind === 'pod' && e.type === 'terminated' ? { ...e, reason: 'OOMKilled' } : e));
  assert.deepEqual(ids(spec), ['oom-killed']);
});

test('an exit 137 that is neither OOMKilled, the deadline nor liveness stays abrupt-shutdown and says so', () => {
  const spec = streams.oomKilled();
  spec.events = spec.events!.map((e) => (e.kind === 'pod' && e.type === 'terminated' ? { ...e, reason: 'Error' } : e));
  assert.deepEqual(ids(spec), ['abrupt-shutdown']);
  assert.match(text(spec), /neither OOMKilled nor a liveness kill/);
});

test('liveness-restart names the probe failure and the kill, not a crash', () => {
  const ev = text(streams.livenessRestart());
  assert.match(ev, /liveness probe of pod web-5d8f-old01 failed from .*context deadline exceeded/);
  assert.match(ev, /failed liveness probe, will be restarted/);
  assert.match(ev, /restart count 1/);
  assert.doesNotMatch(ev, /crashed/);
});

test('a liveness Unhealthy event is not readiness evidence for not-ready-traffic', () => {
  const spec = scenarios.notReadyTraffic();
  spec.snapshots = [];
  spec.failures = spec.failures!.map(({ remote: _r, ...f }) => f);
  spec.events = [...spec.events!, coreEvent(6, 'Unhealthy', 'web-7f9c-new01', 'Liveness probe failed: connection refused')];
  assert.deepEqual(ids(spec), ['unknown']);
  spec.events = [...spec.events, coreEvent(6.1, 'Unhealthy', 'web-7f9c-new01', 'Readiness probe failed: connection refused')];
  assert.deepEqual(ids(spec), ['not-ready-traffic']);
});

test('scale-down keeps how the pod stopped as context, and a template change is a rollout instead', () => {
  const ev = text(streams.scaleDown());
  assert.match(ev, /Deployment web was scaled from 3 to 2 replicas at .* its pod template unchanged \(web:2\): not a rollout/);
  assert.match(ev, /context \(terminating-endpoint\): .*no preStop hook/);
  assert.deepEqual(ids(streams.scaleDown('web:3')), ['terminating-endpoint']);
});

test('eviction cites the DisruptionTarget reason and is the one cause', () => {
  assert.match(text(streams.eviction()), /evicted, not rolled: .*DisruptionTarget condition turned True \(reason EvictionByEvictionAPI/);
});

test('bad-version names the version and the pod that answered; untagged 500s stay unknown', () => {
  assert.match(text(streams.badVersion()), /5 of 5 failures were 500 answers tagged with version 2, answered by pod\(s\) web-7f9c-new01/);
  assert.deepEqual(ids(streams.badVersion(false)), ['unknown']);
});

test('proxy-lag shows the measured lag; without instance data the same stream is abrupt-shutdown', () => {
  const ev = text(streams.proxyLag());
  assert.match(ev, /measured: it still answered at .*, 2850 ms after its endpoint change/);
  assert.match(causesOf(streams.proxyLag())[0]!.fix, /at least 6 s/);
  assert.deepEqual(ids(streams.proxyLag(false)), ['abrupt-shutdown']);
});

test('a lone 502 while a pod is stopping is not the keep-alive race', () => {
  const spec = streams.keepaliveRace();
  spec.events = [...spec.events!, podDeleting(18, streams.OLD, { preStop: 'sleep 5s' }), terminated(23.1, streams.OLD, 0, 'Completed')];
  assert.ok(!ids(spec).includes('upstream-keepalive-race'));
});

test('a failed preStop hook is the moment SIGTERM came: the pod is not cleared by the sleep it never did', () => {
  const spec = scenarios.terminatingEndpoint();
  spec.events = spec.events!.map((e) => (e.kind === 'pod' && e.type === 'deleting' ? { ...e, preStop: 'exec: sleep 5' } : e));
  assert.ok(!ids(spec).includes('terminating-endpoint'));
  spec.events = [...spec.events, coreEvent(11.22, 'FailedPreStopHook', 'web-5d8f-old01', 'PreStopHook failed')];
  assert.deepEqual(ids(spec), ['terminating-endpoint']);
  assert.match(text(spec), /preStop hook \(exec: sleep 5\) failed \(FailedPreStopHook at/);
});

test('failures another pod answered itself (its name on them) are not a stopping pod\'s', () => {
  const spec = streams.proxyLag();
  spec.failures = spec.failures!.map((f) => ({ ...f, status: 500, version: '2', instance: streams.NEW }));
  assert.deepEqual(ids(spec), ['bad-version']);
});

test('route-config holds only when the mistake\'s own status makes up the burst: an unknown subset answers 503, not 404', () => {
  const spec = scenarios.routeConfig();
  spec.failures = spec.failures!.map((f) => ({ ...f, status: 404 }));
  assert.ok(!ids(spec).includes('route-config'));
});

test('no-ready-endpoints with no pod being deleted (a readiness cascade) gets the readiness fix, not the rollout one', () => {
  const spec = scenarios.noReadyEndpoints();
  spec.events = spec.events!.filter((e) => e.type !== 'deleting').map((e) => (e.kind === 'endpoint' && e.type === 'terminating' ? { ...e, type: 'not-ready' as const, terminating: false } : e));
  const c = causesOf(spec).find((x) => x.id === 'no-ready-endpoints');
  assert.ok(c, JSON.stringify(causesOf(spec).map((x) => x.id)));
  assert.match(c.fix, /failed readiness at the same time while none was being deleted/);
  assert.match(causesOf(scenarios.noReadyEndpoints())[0]!.fix, /maxUnavailable: 0/);
});

test('no-ready-endpoints says when the terminating endpoint stayed serving (kube-proxy\'s fallback)', () => {
  const withServing = (serving: boolean): RecordingSpec => {
    const spec = scenarios.noReadyEndpoints();
    spec.events = spec.events!.map((e) => (e.kind === 'endpoint' && e.type === 'terminating' ? { ...e, serving } : e));
    return spec;
  };
  assert.doesNotMatch(text(withServing(false)), /stayed serving/);
  assert.match(text(withServing(true)), /10\.0\.0\.11 stayed serving while terminating: kube-proxy falls back/);
});

test('an eviction whose failures were all on reused connections is still one cause: eviction (keepalive-reuse as context)', () => {
  const reused = (): RecordingSpec => {
    const spec = streams.eviction();
    const failures = [10.3, 10.4, 10.5, 10.6, 10.7, 10.8].map((s, i) => ({ s, ...(i % 2 ? { status: 502 } : { error: 'timeout' as const }), mode: 'reuse' as const }));
    return { ...spec, failures };
  };
  const causes = causesOf(reused());
  assert.deepEqual(causes.map((c) => c.id), ['eviction']);
  assert.ok(causes[0]!.evidence.some((e) => e.startsWith('context (keepalive-reuse)')), 'the reused connections stay visible as context');
});
