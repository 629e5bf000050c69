// not-ready-traffic on a pod whose readinessProbe failed only before it joined: that is the probe working;
// and on pods of any owner (StatefulSet, DaemonSet, bare ReplicaSet, Argo Rollout, Kruise CloneSet).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, at, coreEvent, endpoint, ev, podStart, recording, snapshot, webDeployment, type RecordingSpec } from '../fixtures/recordings/build.js';
import { notReadyTraffic } from '../../src/analyze/causes/not-ready-traffic.js';
import type { IncidentInput } from '../../src/analyze/causes/index.js';
import type { ClusterEvent, Sample } from '../../src/types.js';
import * as scenarios from '../fixtures/recordings/scenarios.js';

const REFUSED = 'Readiness probe failed: Get "http://10.0.0.12:8080/healthz": dial tcp 10.0.0.12:8080: connect: connection refused';

/** The not-ready stream, but the Deployment has a readinessProbe and failures went through a proxy. */
function withReadiness(unhealthyAt: number): RecordingSpec {
  const spec = scenarios.notReadyTraffic();
  spec.snapshots = spec.snapshots!.map((s) => ({
    ...s,
    objects: s.objects.map((o) => {
      if (o.kind !== 'Deployment') return o;
      const podSpec = o.spec.template.spec;
      const containers = [{ ...podSpec.containers[0], readinessProbe: { httpGet: { path: '/healthz', port: 8080 } } }];
      return { ...o, spec: { ...o.spec, template: { ...o.spec.template, spec: { ...podSpec, containers } } } };
    }),
  }));
  spec.failures = spec.failures!.map(({ remote: _r, ...f }) => f);
  spec.events = [...spec.events!, coreEvent(unhealthyAt, 'Unhealthy', 'web-7f9c-new01', REFUSED)].sort((a, b) => a.at - b.at);
  return spec;
}

const causeIds = (spec: RecordingSpec): string[] => analyse(recording(spec)).incidents.flatMap((i) => i.causes.map((c) => c.id));

test('a readiness failure before the pod joined does not make it not-ready traffic', () => {
  // The pod starts at 5.2 s and joins at 5.3 s; its probe failed at 5.25 s while the app came up.
  assert.ok(!causeIds(withReadiness(5.25)).includes('not-ready-traffic'));
});

test('a readiness failure after the pod joined still does', () => {
  assert.ok(causeIds(withReadiness(6)).includes('not-ready-traffic'));
});

// Owners other than a Deployment: the pod's own spec says whether it has a readinessProbe.
const OWNED: Array<[owner: string, pod: string]> = [
  ['StatefulSet/db', 'db-1'],
  ['DaemonSet/agent', 'agent-x7k2p'],
  ['ReplicaSet/worker-5c9d', 'worker-5c9d-q2w3e'],
  ['ReplicaSet/shop-6d8f7', 'shop-6d8f7-abcde'],
  ['CloneSet/web', 'web-m4n5b'],
];

/** A pod of `owner` joined at 5.3 s; two 502s through a proxy (no address) followed. */
function joinedPod(owner: string, pod: string, readinessProbe: boolean | undefined): { inc: IncidentInput; events: ClusterEvent[] } {
  const created = ev(5, pod, { kind: 'pod', type: 'created', ip: '10.0.0.20', node: 'lab', owner, version: '2', phase: 'Pending', ...(readinessProbe === undefined ? {} : { readinessProbe }) });
  const events = [created, ...podStart(5.1, pod, '10.0.0.20', 5.25), endpoint(5.3, 'added', pod, '10.0.0.20', { ready: true })];
  const samples: Sample[] = [5.5, 6].map((s, i) => ({ seq: i, intended: at(s), sent: at(s), mode: 'new', outcome: 'failed', latencyMs: 2, status: 502 }));
  return { inc: { start: at(5.5), end: at(6), failed: 2, kinds: { 502: 2 }, modes: { new: 2 }, samples, connection: 'both' }, events };
}

for (const [owner, pod] of OWNED) {
  test(`a ${owner.split('/')[0]} pod without readinessProbe (${owner}) is not-ready traffic`, () => {
    const { inc, events } = joinedPod(owner, pod, false);
    const c = notReadyTraffic(inc, events, []);
    assert.equal(c?.id, 'not-ready-traffic');
    assert.match(c!.evidence.join('\n'), new RegExp(`pod ${pod} \\(${owner}\\) has no readinessProbe`));
  });
}

test('a pod whose own spec has a readinessProbe is not blamed for its workload\'s old template', () => {
  const { inc, events } = joinedPod('ReplicaSet/web-7f9c', 'web-7f9c-new01', true);
  assert.equal(notReadyTraffic(inc, events, [snapshot(0, [webDeployment({ readiness: false })])]), undefined);
});

test('without the pod\'s own fact (an older recording), an Argo Rollout\'s template in the snapshot is read through its ReplicaSet', () => {
  const { inc, events } = joinedPod('ReplicaSet/shop-6d8f7', 'shop-6d8f7-abcde', undefined);
  const rollout = { ...webDeployment({ readiness: false, name: 'shop' }), apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' };
  const c = notReadyTraffic(inc, events, [snapshot(0, [rollout])]);
  assert.match(c?.evidence.join('\n') ?? '', /Rollout\/shop has no readinessProbe/);
});
