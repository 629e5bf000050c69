// Watch robustness against a real API server behind a proxy that fails on demand.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { isEvent, type EventOf, type WatchEvent } from '../../src/watch/cluster-event.js';
import { startWatcher, type Watcher, type WatchOptions } from '../../src/watch/index.js';
import { startFlakyProxy, type FlakyProxy } from './helpers/flaky-proxy.js';
import { Collector, sleep, startLab, type Lab } from './helpers/lab.js';

const NS = 'default';

/** ZDPROBE_RECORD_FIXTURES=test/fixtures/cluster saves a stream for the correlation engine's tests. */
async function record(seen: Collector, file: string): Promise<void> {
  const out = process.env['ZDPROBE_RECORD_FIXTURES'];
  if (out) await writeFile(join(out, file), seen.events.map((e) => JSON.stringify(e)).join('\n') + '\n');
}
const FAST = { watchdogMs: 20_000, backoffMinMs: 50, backoffMaxMs: 400 };

const pod = (name: string) => ({ metadata: { name, namespace: NS, labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'lab/web:1' }] } });
const watchOf = <T extends WatchEvent['type']>(seen: Collector, type: T, resource = 'pods'): Array<EventOf<'watch', T>> =>
  seen.events.filter((e): e is EventOf<'watch', T> => isEvent(e, 'watch', type) && e.name === resource);

describe('watch gaps, re-lists and the watchdog', () => {
  let lab: Lab | undefined;
  let proxy: FlakyProxy | undefined;
  let watcher: Watcher | undefined;

  async function setup(opts: Partial<WatchOptions> = {}, bookmarkIntervalMs?: number): Promise<Collector> {
    lab = await startLab(bookmarkIntervalMs ? { bookmarkIntervalMs } : {});
    proxy = await startFlakyProxy(lab.url);
    const seen = new Collector();
    watcher = await startWatcher({
      kubeconfig: await lab.kubeconfigFor(proxy.url), selector: 'app=web',
      onEvent: seen.onEvent, onConfig: seen.onConfig, tuning: FAST, ...opts,
    });
    return seen;
  }

  afterEach(async () => {
    await watcher?.close();
    await proxy?.close();
    await lab?.close();
    watcher = undefined; proxy = undefined; lab = undefined;
  });

  it('records a gap while the API is unreachable and resumes from the last resourceVersion without losing a change', async () => {
    const seen = await setup();
    assert.equal(watcher!.status().watched, true);
    await proxy!.stop();
    await lab!.core.createNamespacedPod({ namespace: NS, body: pod('born-in-gap') });
    await sleep(400);
    await proxy!.start();
    await seen.waitFor('the pod created during the gap', () => seen.find('pod', 'created', 'born-in-gap'));
    const gap = await seen.waitFor('gap event', () => watchOf(seen, 'gap')[0]);
    assert.ok(gap.ms >= 300, `gap of ${gap.ms} ms`);
    assert.match(gap.reason, /watch connection broke|closed by the server/);
    assert.ok(watchOf(seen, 'resumed').length >= 1);
    assert.equal(watchOf(seen, 'relist').length, 0, 'a resumable watch needs no re-list');
    const gaps = watcher!.status().gaps;
    assert.equal(gaps.length, 1, JSON.stringify(gaps));
    assert.ok(gaps[0]!.end - gaps[0]!.start >= 300);
    assert.match(gaps[0]!.reason, /watch of .*pods/);
    await record(seen, 'lab-watch-gap.ndjson');
  });

  it('re-lists after 410 Gone and reports what changed meanwhile as transitions', async () => {
    const seen = await setup();
    await lab!.core.createNamespacedPod({ namespace: NS, body: pod('doomed') });
    await seen.waitFor('doomed created', () => seen.find('pod', 'created', 'doomed'));
    await proxy!.stop();
    await lab!.core.deleteNamespacedPod({ namespace: NS, name: 'doomed' });
    await lab!.core.createNamespacedPod({ namespace: NS, body: pod('newcomer') });
    lab!.compact();
    await proxy!.start();
    const relist = await seen.waitFor('pods re-list', () => watchOf(seen, 'relist')[0]);
    assert.match(relist.reason, /410/);
    assert.equal(relist.removed, 1);
    assert.equal(relist.added, 1);
    await seen.waitFor('doomed deleted', () => seen.find('pod', 'deleted', 'doomed'));
    const newcomer = seen.find('pod', 'created', 'newcomer');
    assert.ok(newcomer && !newcomer.initial, 'a re-list transition is news, not initial state');
    assert.ok(watcher!.status().gaps.some((g) => /410/.test(g.reason)));
  });

  it('restarts a frozen watch after the watchdog delay and dates the gap from the last byte received', async () => {
    // Bookmarks every 100 ms keep healthy watches alive; a frozen stream delivers none.
    const seen = await setup({ tuning: { ...FAST, watchdogMs: 1_500 } }, 100);
    await sleep(300);
    proxy!.freeze();
    const frozenAt = Date.now();
    await lab!.core.createNamespacedPod({ namespace: NS, body: pod('unseen-while-frozen') });
    const created = await seen.waitFor('pod seen after the restart', () => seen.find('pod', 'created', 'unseen-while-frozen'));
    assert.ok(created.at - frozenAt >= 1_000, `it arrived only after the watchdog fired (${created.at - frozenAt} ms)`);
    const gap = await seen.waitFor('watchdog gap', () => watchOf(seen, 'gap')[0]);
    assert.match(gap.reason, /no event or bookmark/);
    assert.ok(gap.start <= frozenAt + 50);
  });

  it('does not call a quiet watch restarted by the watchdog a gap', async () => {
    const seen = await setup({ tuning: { ...FAST, watchdogMs: 300 } }, 60_000);
    await seen.waitFor('two watchdog restarts', () => watchOf(seen, 'resumed').filter((e) => e.watchdog).length >= 2 || undefined);
    assert.deepEqual(watcher!.status().gaps, []);
    assert.equal(watchOf(seen, 'gap').length, 0);
  });

  it('keeps watching the rest when one resource is forbidden, and says how to fix it', async () => {
    lab = await startLab();
    proxy = await startFlakyProxy(lab.url);
    proxy.forbid(/\/endpointslices/);
    const seen = new Collector();
    watcher = await startWatcher({ kubeconfig: await lab.kubeconfigFor(proxy.url), service: 'web', onEvent: seen.onEvent, onConfig: seen.onConfig, tuning: FAST });
    const s = watcher.status();
    assert.equal(s.watched, true);
    assert.ok(s.problems.includes('forbidden to watch endpointslices in default: add the rules in deploy/rbac.yaml'));
    assert.equal(watchOf(seen, 'forbidden', 'endpointslices').length, 1);
  });

  it('returns at once when the API is unreachable, then starts watching when it comes up', async () => {
    lab = await startLab();
    proxy = await startFlakyProxy(lab.url);
    const kubeconfig = await lab.kubeconfigFor(proxy.url);
    await proxy.stop();
    const seen = new Collector();
    const t0 = Date.now();
    watcher = await startWatcher({ kubeconfig, onEvent: seen.onEvent, onConfig: seen.onConfig, tuning: FAST, startTimeoutMs: 10_000 });
    assert.ok(Date.now() - t0 < 5_000, 'did not wait for the start timeout');
    const down = watcher.status();
    assert.equal(down.watched, false);
    assert.match(down.problems.join('\n'), /API server http:\/\/127\.0\.0\.1:\d+ unreachable \(ECONNREFUSED.*still trying/);
    await proxy.start();
    await seen.waitFor('watching', () => watcher!.status().watched);
    const up = watcher.status();
    assert.deepEqual(up.problems, []);
    assert.equal(up.gaps.length, 1);
    assert.match(up.gaps[0]!.reason, /unreachable.*at start/);
  });
});

describe('without a cluster', () => {
  const quiet = { onEvent: () => {}, onConfig: () => {} };

  it('reports no kubeconfig as watched=false with a plain problem line', async () => {
    const w = await startWatcher({ ...quiet, env: { HOME: '/nonexistent-home-zdprobe' } });
    assert.deepEqual(w.status(), { watched: false, problems: ['no kubeconfig (no --kubeconfig, KUBECONFIG unset, no ~/.kube/config): the cluster was not watched'], gaps: [] });
    await w.close();
  });

  it('reports a missing --kubeconfig file by name', async () => {
    const w = await startWatcher({ ...quiet, kubeconfig: '/nonexistent/kubeconfig' });
    assert.deepEqual(w.status().problems, ['kubeconfig /nonexistent/kubeconfig does not exist: the cluster was not watched']);
  });

  it('reports an unknown --context', async () => {
    const lab = await startLab();
    try {
      const w = await startWatcher({ ...quiet, kubeconfig: lab.kubeconfig, context: 'prod' });
      assert.deepEqual(w.status(), { watched: false, problems: ['context "prod" is not in the kubeconfig'], gaps: [] });
    } finally {
      await lab.close();
    }
  });
});
