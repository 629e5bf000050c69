import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { pod, waitFor, withLab, type Lab } from './helpers.js';

interface Seen {
  type: string;
  name: string | undefined;
  rv: string | undefined;
  code?: number;
  object: k8s.KubernetesObject & { code?: number };
}

/** Opens a client-node Watch and records every event; `done` is set when the stream ends. */
async function record(lab: Lab, path: string, query: Record<string, string | number | boolean | undefined>) {
  const events: Seen[] = [];
  const state = { done: false, err: undefined as unknown };
  const ctrl = await new k8s.Watch(lab.kc).watch(
    path,
    query,
    (type, object: k8s.KubernetesObject & { code?: number }) => {
      events.push({ type, name: object.metadata?.name, rv: object.metadata?.resourceVersion, code: object.code, object });
    },
    (err) => {
      state.done = true;
      state.err = err;
    },
  );
  return { events, state, stop: () => ctrl.abort() };
}

const PODS = '/api/v1/namespaces/default/pods';

test('a watch without resourceVersion sends current state as ADDED, then live changes in order', async () => {
  await withLab(async (lab) => {
    await lab.core.createNamespacedPod({ namespace: 'default', body: pod('a') });
    const w = await record(lab, PODS, {});
    await waitFor(() => w.events.length === 1);
    await lab.core.createNamespacedPod({ namespace: 'default', body: pod('b') });
    await lab.core.patchNamespacedPod({ name: 'b', namespace: 'default', body: { metadata: { labels: { x: '1' } } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    await lab.core.deleteNamespacedPod({ name: 'b', namespace: 'default' });
    await waitFor(() => w.events.length === 4);
    w.stop();
    assert.deepEqual(w.events.map((e) => `${e.type} ${e.name}`), ['ADDED a', 'ADDED b', 'MODIFIED b', 'DELETED b']);
    const rvs = w.events.slice(1).map((e) => Number(e.rv));
    assert.deepEqual(rvs, [...rvs].sort((x, y) => x - y));
  });
});

test('a watch from a resourceVersion replays exactly the later events', async () => {
  await withLab(async (lab) => {
    const a = await lab.core.createNamespacedPod({ namespace: 'default', body: pod('a') });
    await lab.core.createNamespacedPod({ namespace: 'default', body: pod('b') });
    await lab.core.createNamespacedPod({ namespace: 'default', body: pod('c') });
    const w = await record(lab, PODS, { resourceVersion: a.metadata?.resourceVersion });
    await waitFor(() => w.events.length === 2);
    w.stop();
    assert.deepEqual(w.events.map((e) => `${e.type} ${e.name}`), ['ADDED b', 'ADDED c']);
  });
});

test('after compact() an old resourceVersion gets an ERROR event with a 410 Expired Status', async () => {
  await withLab(async (lab) => {
    const a = await lab.core.createNamespacedPod({ namespace: 'default', body: pod('a') });
    await lab.core.createNamespacedPod({ namespace: 'default', body: pod('b') });
    lab.server.compact();
    const w = await record(lab, PODS, { resourceVersion: a.metadata?.resourceVersion });
    await waitFor(() => w.state.done);
    assert.equal(w.events.length, 1);
    const [e] = w.events;
    assert.equal(e?.type, 'ERROR');
    assert.equal(e?.code, 410);
    assert.equal((e?.object as unknown as { reason: string }).reason, 'Expired');
  });
});

test('the event log is bounded: with maxEvents 3 the oldest resourceVersions expire', async () => {
  await withLab(
    async (lab) => {
      const first = await lab.core.createNamespacedPod({ namespace: 'default', body: pod('a') });
      for (const n of ['b', 'c', 'd', 'e']) await lab.core.createNamespacedPod({ namespace: 'default', body: pod(n) });
      const w = await record(lab, PODS, { resourceVersion: first.metadata?.resourceVersion });
      await waitFor(() => w.state.done);
      assert.equal(w.events[0]?.code, 410);
    },
    { maxEvents: 3 },
  );
});

test('allowWatchBookmarks brings BOOKMARK events carrying the current resourceVersion', async () => {
  await withLab(
    async (lab) => {
      const p = await lab.core.createNamespacedPod({ namespace: 'default', body: pod('a') });
      const w = await record(lab, PODS, { resourceVersion: p.metadata?.resourceVersion, allowWatchBookmarks: true });
      await waitFor(() => w.events.some((e) => e.type === 'BOOKMARK'));
      w.stop();
      const b = w.events.find((e) => e.type === 'BOOKMARK');
      assert.equal(b?.rv, p.metadata?.resourceVersion);
      assert.equal(b?.object.kind, 'Pod');
    },
    { bookmarkIntervalMs: 50 },
  );
});

test('timeoutSeconds ends the watch stream', async () => {
  await withLab(async (lab) => {
    const w = await record(lab, PODS, { timeoutSeconds: 1 });
    await waitFor(() => w.state.done, 10_000);
    assert.equal(w.state.err, null);
  });
});

test('a selector watch sees an object leave as DELETED and enter as ADDED (spec.nodeName field selector)', async () => {
  await withLab(async (lab) => {
    const w = await record(lab, PODS, { fieldSelector: 'spec.nodeName=node-1' });
    await lab.core.createNamespacedPod({ namespace: 'default', body: pod('a') });
    await lab.core.createNamespacedPodBinding({ name: 'a', namespace: 'default', body: { metadata: { name: 'a' }, target: { kind: 'Node', name: 'node-1' } } });
    await waitFor(() => w.events.length === 1);
    const labeled = await record(lab, PODS, { labelSelector: 'tier in (web)' });
    const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
    await lab.core.patchNamespacedPod({ name: 'a', namespace: 'default', body: { metadata: { labels: { tier: 'web' } } } }, merge);
    await lab.core.patchNamespacedPod({ name: 'a', namespace: 'default', body: { metadata: { labels: { tier: 'db' } } } }, merge);
    await waitFor(() => labeled.events.length === 2 && w.events.length === 3);
    w.stop();
    labeled.stop();
    assert.deepEqual(w.events.map((e) => e.type), ['ADDED', 'MODIFIED', 'MODIFIED']);
    assert.deepEqual(labeled.events.map((e) => e.type), ['ADDED', 'DELETED']);
  });
});

test('an informer (ListWatch) lists, follows changes, and relists after 410 Gone', async () => {
  await withLab(
    async (lab) => {
      await lab.core.createNamespacedPod({ namespace: 'default', body: pod('a') });
      let lists = 0;
      const listFn = () => {
        lists += 1;
        return lab.core.listNamespacedPod({ namespace: 'default' });
      };
      const informer = k8s.makeInformer(lab.kc, PODS, listFn);
      await informer.start();
      try {
        await lab.core.createNamespacedPod({ namespace: 'default', body: pod('b') });
        await waitFor(() => informer.list('default').length === 2);
        assert.equal(lists, 1);
        // Move the global resourceVersion past the informer's last pod event, then forget history:
        // its next re-watch (the server ends watches after 1 s) must get 410 and relist.
        await lab.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'bump' } } });
        lab.server.compact();
        await waitFor(() => lists === 2, 10_000);
        await lab.core.createNamespacedPod({ namespace: 'default', body: pod('c') });
        await waitFor(() => informer.list('default').length === 3);
        assert.deepEqual(informer.list('default').map((p) => p.metadata?.name).sort(), ['a', 'b', 'c']);
      } finally {
        await informer.stop();
      }
    },
    { watchTimeoutSeconds: 1 },
  );
});

test('a watch with a malformed resourceVersion is a 400 BadRequest Status', async () => {
  await withLab(async (lab) => {
    const res = await fetch(`${lab.server.url}${PODS}?watch=true&resourceVersion=abc`);
    assert.equal(res.status, 400);
    const body = (await res.json()) as { kind: string; reason: string };
    assert.deepEqual([body.kind, body.reason], ['Status', 'BadRequest']);
  });
});
