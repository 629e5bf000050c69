import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/types.js';
import { sanitize, snapshotObjects } from '../../src/watch/snapshot.js';

const deployment: KubeObject = {
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: {
    name: 'web', namespace: 'shop', resourceVersion: '42', uid: 'u1', managedFields: [{ manager: 'kubectl' }],
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"env":[{"name":"DB_PASSWORD","value":"hunter2"}]}', keep: 'yes' },
  },
  spec: {
    replicas: 1, minReadySeconds: 5, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    template: { spec: { terminationGracePeriodSeconds: 30, containers: [{
      name: 'app', image: 'lab/web:1',
      env: [{ name: 'DB_PASSWORD', value: 'hunter2' }], envFrom: [{ secretRef: { name: 'db' } }],
      readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 5 },
      lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
    }] } },
  },
  status: { replicas: 1 },
};

describe('config snapshots', () => {
  it('never carries env values, the last-applied manifest, managedFields or status', () => {
    const text = JSON.stringify(sanitize(deployment));
    for (const secret of ['hunter2', 'DB_PASSWORD', 'secretRef', 'managedFields', 'last-applied', '"status"', 'resourceVersion']) {
      assert.ok(!text.includes(secret), `snapshot leaks ${secret}`);
    }
  });

  it('keeps what decides drops: probes, preStop, grace period, strategy, minReadySeconds, replicas', () => {
    const s = sanitize(deployment);
    const c = s.spec.template.spec.containers[0];
    assert.deepEqual(c.readinessProbe, { httpGet: { path: '/', port: 80 }, periodSeconds: 5 });
    assert.deepEqual(c.lifecycle, { preStop: { exec: { command: ['sleep', '5'] } } });
    assert.equal(s.spec.template.spec.terminationGracePeriodSeconds, 30);
    assert.deepEqual(s.spec.strategy.rollingUpdate, { maxSurge: 1, maxUnavailable: 0 });
    assert.equal(s.spec.minReadySeconds, 5);
    assert.equal(s.metadata?.annotations?.['keep'], 'yes');
  });

  it('does not modify the object it was given', () => {
    const before = JSON.stringify(deployment);
    sanitize(deployment);
    assert.equal(JSON.stringify(deployment), before);
  });

  it('orders objects stably so equal configs have equal fingerprints', () => {
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' } } };
    const a = snapshotObjects([deployment, svc]);
    const b = snapshotObjects([svc, { ...deployment, metadata: { ...deployment.metadata, resourceVersion: '43' } }]);
    assert.equal(a.fingerprint, b.fingerprint);
    assert.deepEqual(a.objects.map((o) => o.kind), ['Deployment', 'Service']);
  });
});

it('snapshots drop container command and args and hide probe header values', () => {
  const obj = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { template: { spec: { containers: [{ name: 'web', command: ['run', '--password=hunter2'], args: ['--token=abc'], readinessProbe: { httpGet: { path: '/', port: 80, httpHeaders: [{ name: 'Authorization', value: 'Bearer s3cret' }] } } }] } } },
  };
  const text = JSON.stringify(sanitize(obj));
  assert.doesNotMatch(text, /hunter2|abc|s3cret/);
  assert.match(text, /"name":"Authorization","value":"<redacted>"/);
  assert.match(text, /"path":"\/"/);
});
