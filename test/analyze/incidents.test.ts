// Incidents: failure windows with their nearby cluster transitions, several causes, cluster status from events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, at, endpoint, ev, podDeleting, recording, terminated } from '../fixtures/recordings/build.js';
import * as scenarios from '../fixtures/recordings/scenarios.js';
import type { EventFields } from '../../src/watch/cluster-event.js';
import { buildIncidents, nearbyEvents, AFTER_MS, BEFORE_MS } from '../../src/analyze/incidents.js';
import { clusterFromEvents, resolveCluster } from '../../src/analyze/cluster-status.js';

const created: EventFields = { kind: 'pod', type: 'created', ip: null, node: null, owner: null, version: null, phase: 'Pending' };

test('two bursts far apart are two incidents, each with its own transitions', () => {
  const spec = scenarios.terminatingEndpoint();
  spec.seconds = 40;
  spec.failures = [...spec.failures!, { s: 35, status: 500 }];
  const s = analyse(recording(spec));
  assert.equal(s.incidents.length, 2);
  const [first, second] = s.incidents;
  assert.equal(first!.failed, 3);
  assert.ok(first!.events.some((e) => e.type === 'deleting'));
  assert.ok(first!.events.every((e) => e.at >= first!.start - BEFORE_MS && e.at <= first!.end + AFTER_MS));
  assert.equal(second!.causes[0]!.id, 'unknown');
  assert.deepEqual(second!.events, []);
});

test('an app killed at once without preStop has one cause, the terminating endpoint, with its abrupt exit as context', () => {
  const spec = scenarios.terminatingEndpoint();
  spec.failures = [{ s: 11.1, error: 'reset', mode: 'new', latencyMs: 150 }, ...spec.failures!];
  spec.events = spec.events!.map((e) => (e.type === 'terminated' ? terminated(11.25, e.name, 143, 'Error') : e));
  const [cause, ...more] = analyse(recording(spec)).incidents[0]!.causes;
  assert.equal(cause!.id, 'terminating-endpoint');
  assert.deepEqual(more, [], 'the preStop + drain fix removes these failures: no second cause');
  assert.ok(cause!.evidence.some((e) => /^context \(abrupt-shutdown\): .*exited .* with exit code 143/.test(e)), cause!.evidence.join('\n'));
});

test('the state found at start is not listed as news around an incident', () => {
  const events = [endpoint(0, 'added', 'a', '10.0.0.1', { ready: true, initial: true }), ev(1, 'b', created)];
  assert.deepEqual(nearbyEvents(events, at(2), at(2)).map((e) => e.name), ['b']);
});

test('incidents are built from the summary windows even when no sample was kept', () => {
  const w = { start: at(11.3), end: at(11.5), count: 40, kinds: { refused: 40 }, modes: { reuse: 20, new: 20 } };
  const events = [podDeleting(11.2, 'web-1', {}), endpoint(11.6, 'terminating', 'web-1', '10.0.0.1', { ready: false, terminating: true })];
  const [inc] = buildIncidents({ failureWindows: [w], failures: [], events, snapshots: [], connection: 'both', watched: true });
  assert.equal(inc!.failed, 40);
  assert.deepEqual(inc!.causes.map((c) => c.id), ['terminating-endpoint']);
  assert.match(inc!.causes[0]!.evidence[2]!, /^40 failures \(40× refused\)/);
});

test('cluster status from watch events: forbidden resources, merged gaps, watched', () => {
  const events = [
    ev(0, 'web-1', created),
    ev(1, 'virtualservices', { kind: 'watch', type: 'forbidden', resource: 'virtualservices', status: 403, reason: 'forbidden' }),
    ev(5, 'pods', { kind: 'watch', type: 'gap', resource: 'pods', reason: 'connection reset', start: at(4), end: at(5.2), ms: 1200 }),
    ev(5, 'endpointslices', { kind: 'watch', type: 'gap', resource: 'endpointslices', reason: 'connection reset', start: at(4.1), end: at(5.3), ms: 1200 }),
  ];
  const c = clusterFromEvents(events);
  assert.equal(c.watched, true);
  assert.equal(c.problems.length, 1);
  assert.match(c.problems[0]!, /forbidden to watch virtualservices/);
  assert.deepEqual(c.gaps.map((g) => [g.start, g.end]), [[at(4), at(5.3)]]);
  assert.match(c.gaps[0]!.reason, /pods.*endpointslices/);
});

test('a live status wins over the recorded events; an empty one is rebuilt from them', () => {
  const live = { watched: true, problems: ['x'], gaps: [] };
  assert.equal(resolveCluster(live, []), live);
  assert.equal(resolveCluster({ watched: false, problems: [], gaps: [] }, [ev(0, 'p', created)]).watched, true);
});

test('the config audit says a run with no failure was lucky', () => {
  const spec = scenarios.cleanRollout();
  spec.snapshots = [{ at: at(0), objects: scenarios.terminatingEndpoint().snapshots![0]!.objects }];
  const s = analyse(recording(spec));
  const f = s.findings.find((x) => x.id === 'deploy-no-prestop');
  assert.ok(f, 'deploy-no-prestop found');
  assert.match(f.message, /it was lucky/);
});
