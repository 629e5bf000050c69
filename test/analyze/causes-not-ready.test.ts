// not-ready-traffic on a pod whose readinessProbe failed only before it joined: that is the probe working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, coreEvent, recording, type RecordingSpec } from '../fixtures/recordings/build.js';
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
