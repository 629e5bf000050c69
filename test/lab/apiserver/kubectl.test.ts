import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { kubectl, pod, withLab } from './helpers.js';

const MANIFEST = (image: string, weight: number) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, version: v1}}
    spec:
      containers:
      - name: web
        image: ${image}
        ports: [{containerPort: 8080}]
        env: [{name: SHUTDOWN, value: graceful}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: web}
spec:
  hosts: [web]
  http:
  - route:
    - destination: {host: web, subset: v1}
      weight: ${weight}
`;

test('kubectl api-resources lists every group with short names', async () => {
  await withLab(async (lab) => {
    const r = await kubectl(lab, ['api-resources', '--no-headers']);
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout.split('\n').map((l) => l.trim().split(/\s+/));
    const find = (name: string, group: string) => rows.find((c) => c[0] === name && c.includes(group));
    assert.deepEqual(find('pods', 'v1')?.slice(0, 2), ['pods', 'po']);
    assert.deepEqual(find('deployments', 'apps/v1')?.slice(0, 2), ['deployments', 'deploy']);
    assert.deepEqual(find('virtualservices', 'networking.istio.io/v1')?.slice(0, 2), ['virtualservices', 'vs']);
    assert.ok(find('rollouts', 'rollouts.kruise.io/v1beta1'));
    assert.ok(find('endpointslices', 'discovery.k8s.io/v1'));
  });
});

test('kubectl apply -f creates a Deployment, Service and VirtualService, and a second apply patches them in place', async () => {
  await withLab(async (lab) => {
    const file = join(lab.dir, 'app.yaml');
    await writeFile(file, MANIFEST('lab/web:1', 100));
    const first = await kubectl(lab, ['apply', '-f', file]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /deployment.apps\/web created/);
    assert.match(first.stdout, /virtualservice.networking.istio.io\/web created/);

    await writeFile(file, MANIFEST('lab/web:2', 90));
    const second = await kubectl(lab, ['apply', '-f', file]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /deployment.apps\/web configured/);
    assert.match(second.stdout, /service\/web unchanged/);
    const d = await lab.apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    const c = d.spec?.template.spec?.containers[0];
    assert.equal(c?.image, 'lab/web:2');
    assert.deepEqual(c?.env?.map((e) => [e.name, e.value]), [['SHUTDOWN', 'graceful']]);
    assert.equal(d.metadata?.generation, 2);
    const vs = await lab.custom.getNamespacedCustomObject({ group: 'networking.istio.io', version: 'v1', namespace: 'default', plural: 'virtualservices', name: 'web' });
    assert.equal(vs.spec.http[0].route[0].weight, 90);
  });
});

test('kubectl get pods -o json, get as a table, patch and delete work', async () => {
  await withLab(async (lab) => {
    await lab.core.createNamespacedPod({ namespace: 'default', body: pod('a', { app: 'web' }) });
    const json = await kubectl(lab, ['get', 'pods', '-o', 'json']);
    assert.equal(json.code, 0, json.stderr);
    const list = JSON.parse(json.stdout) as { items: Array<{ metadata: { name: string }; status: { phase: string } }> };
    assert.deepEqual(list.items.map((p) => [p.metadata.name, p.status.phase]), [['a', 'Pending']]);

    const table = await kubectl(lab, ['get', 'pods', '-l', 'app in (web)']);
    assert.match(table.stdout, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
    assert.match(table.stdout, /\na\s+0\/1\s+Pending\s+0\s+\d+s\n/);

    const patched = await kubectl(lab, ['patch', 'pod', 'a', '--type=merge', '-p', '{"metadata":{"labels":{"x":"y"}}}']);
    assert.equal(patched.code, 0, patched.stderr);
    const jp = await kubectl(lab, ['patch', 'pod', 'a', '--type=json', '-p', '[{"op":"add","path":"/metadata/labels/z","value":"1"}]']);
    assert.equal(jp.code, 0, jp.stderr);
    const labels = (await lab.core.readNamespacedPod({ name: 'a', namespace: 'default' })).metadata?.labels;
    assert.deepEqual(labels, { app: 'web', x: 'y', z: '1' });

    const del = await kubectl(lab, ['delete', 'pod', 'a']);
    assert.equal(del.code, 0, del.stderr);
    const gone = await kubectl(lab, ['get', 'pod', 'a']);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /pods "a" not found/);
  });
});

test('kubectl rollout status waits on the watch until the deployment status says done', async () => {
  await withLab(async (lab) => {
    const file = join(lab.dir, 'app.yaml');
    await writeFile(file, MANIFEST('lab/web:1', 100));
    assert.equal((await kubectl(lab, ['apply', '-f', file])).code, 0);
    const status = kubectl(lab, ['rollout', 'status', 'deployment/web', '--timeout=30s']);
    await new Promise((r) => setTimeout(r, 500));
    await lab.apps.patchNamespacedDeploymentStatus(
      {
        name: 'web',
        namespace: 'default',
        body: { status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    const r = await status;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /successfully rolled out/);
  });
});

test('kubectl apply --server-side creates, then merges into the existing objects', async () => {
  await withLab(async (lab) => {
    const file = join(lab.dir, 'app.yaml');
    await writeFile(file, MANIFEST('lab/web:1', 100));
    const first = await kubectl(lab, ['apply', '--server-side', '-f', file]);
    assert.equal(first.code, 0, first.stderr);
    await writeFile(file, MANIFEST('lab/web:3', 50));
    const second = await kubectl(lab, ['apply', '--server-side', '-f', file]);
    assert.equal(second.code, 0, second.stderr);
    const d = await lab.apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    assert.equal(d.spec?.template.spec?.containers[0]?.image, 'lab/web:3');
    assert.equal(d.spec?.template.spec?.containers[0]?.ports?.[0]?.containerPort, 8080);
  });
});

test('a watch that asks for Table rows (kubectl get -w) gets one Table per event', async () => {
  await withLab(async (lab) => {
    const ac = new AbortController();
    const res = await fetch(`${lab.server.url}/api/v1/namespaces/default/pods?watch=true`, {
      headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
      signal: ac.signal,
    });
    await lab.core.createNamespacedPod({ namespace: 'default', body: pod('a') });
    const reader = res.body!.getReader();
    let text = '';
    for (let i = 0; i < 20 && !text.includes('\n'); i++) text += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    const event = JSON.parse(text.split('\n')[0] ?? '') as { type: string; object: { kind: string; rows: Array<{ cells: unknown[] }> } };
    assert.equal(event.type, 'ADDED');
    assert.equal(event.object.kind, 'Table');
    assert.equal(event.object.rows[0]?.cells[0], 'a');
  });
});
