// A node drain, as a real cluster records it: the node cordoned, its pods evicted one at a time through
// their PodDisruptionBudget (which allows 0 while a replacement starts). The lab has one node, so this
// stream is built by hand from the events the watcher emits (diff-node, diff-pdb, diff-pod).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, endpoint, ev, podDeleting, recording, service, snapshot, webDeployment, type RecordingSpec } from '../fixtures/recordings/build.js';
import type { ClusterEvent, Summary } from '../../src/types.js';

const A = 'web-5d8f-aaaaa';
const B = 'web-5d8f-bbbbb';
const onNode = (e: ClusterEvent, node: string): ClusterEvent => ({ ...e, node } as ClusterEvent);
const evicted = (s: number, pod: string): ClusterEvent =>
  ev(s, pod, { kind: 'pod', type: 'disruption', ip: null, node: 'n1', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' });
const pdb = (s: number, allowed: number, healthy: number): ClusterEvent =>
  ev(s, 'web', { kind: 'pdb', type: 'status', budget: 'maxUnavailable 1', selector: 'app=web', disruptionsAllowed: allowed, currentHealthy: healthy, desiredHealthy: 2, expectedPods: 3 });
const node = (s: number, type: 'cordoned' | 'taints'): ClusterEvent =>
  ev(s, 'n1', { kind: 'node', type, unschedulable: true, ready: true, reason: 'KubeletReady', taints: type === 'taints' ? 'node.kubernetes.io/unschedulable:NoSchedule' : '' });

/** kubectl drain n1: cordon at 9.5 s, evict A at 10 s, B at 14.2 s once A's replacement is ready. */
function drain(): RecordingSpec {
  return {
    seconds: 20, rps: 20,
    failures: [{ s: 10.1, error: 'refused' }, { s: 10.3, status: 502 }, { s: 14.3, status: 502 }, { s: 14.5, status: 502 }],
    events: [
      endpoint(0, 'added', A, '10.0.1.1', { ready: true, initial: true }), endpoint(0, 'added', B, '10.0.1.2', { ready: true, initial: true }),
      pdb(5, 1, 3), node(9.5, 'cordoned'), node(9.6, 'taints'),
      evicted(10, A), onNode(podDeleting(10.02, A, { ip: '10.0.1.1' }), 'n1'), pdb(10.05, 0, 2),
      endpoint(10.3, 'terminating', A, '10.0.1.1', { ready: false, terminating: true }),
      pdb(14.1, 1, 3), evicted(14.2, B), onNode(podDeleting(14.22, B, { ip: '10.0.1.2' }), 'n1'), pdb(14.25, 0, 2),
      endpoint(14.4, 'terminating', B, '10.0.1.2', { ready: false, terminating: true }),
    ],
    snapshots: [snapshot(0, [service(), webDeployment({ readiness: true, replicas: 3 })])],
  };
}

const incidents = (spec: RecordingSpec): Summary['incidents'] => analyse(recording(spec)).incidents;

test('each pod a drain evicts is named eviction, with the cordoned node as context', () => {
  const found = incidents(drain());
  assert.equal(found.length, 2);
  for (const inc of found) assert.deepEqual(inc.causes.map((c) => c.id), ['eviction']);
  const first = found[0]!.causes[0]!.evidence.join('\n');
  assert.match(first, /pod web-5d8f-aaaaa was evicted, not rolled/);
  assert.match(first, /its node n1 was cordoned at .* a drain cordons the node, then evicts its pods; 1 more pod\(s\) of it went the same way/);
});

test('the PodDisruptionBudget that blocked the next eviction (0 allowed) is noted, and the fix is the clean stop', () => {
  const [inc] = incidents(drain());
  const c = inc!.causes[0]!;
  assert.match(c.evidence.join('\n'), /PodDisruptionBudget web \(maxUnavailable 1\) allowed 1 disruption\(s\) at .* \(3 healthy, 2 desired\); it allowed 0 from .* further evictions of its pods were refused until a replacement was ready/);
  assert.match(c.fix, /^the PodDisruptionBudget kept enough pods up/);
});

test('a pod deleted (not evicted) from a cordoned node is a drain too: kubectl drain --disable-eviction', () => {
  const spec = drain();
  spec.events = spec.events!.filter((e) => !(e.kind === 'pod' && e.type === 'disruption'));
  const [inc] = incidents(spec);
  assert.deepEqual(inc!.causes.map((c) => c.id), ['eviction']);
  assert.match(inc!.causes[0]!.evidence[0]!, /it was deleted while its node was cordoned/);
});

test('the same deletes on a node that was never cordoned are not an eviction', () => {
  const spec = drain();
  spec.events = spec.events!.filter((e) => !(e.kind === 'pod' && e.type === 'disruption') && e.kind !== 'node');
  assert.ok(incidents(spec).every((i) => !i.causes.some((c) => c.id === 'eviction')));
});
