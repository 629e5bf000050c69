// The lab app's faults, as a client sees them: a bad release answers 500, a stuck app fails /livez.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { get, runApp } from './run-app.js';
import { parseFaults, reusedDropper } from '../../../src/lab/app/faults.js';

test('a version listed in FAIL_VERSIONS answers 500 with its version tag while /healthz stays 200', async () => {
  const bad = await runApp({ IMAGE: 'lab/web:2', POD_NAME: 'web-b', FAIL_VERSIONS: '2,3' });
  const good = await runApp({ IMAGE: 'lab/web:1', POD_NAME: 'web-a', FAIL_VERSIONS: '2,3' });
  try {
    const r = await get(bad.url + '/');
    assert.deepEqual([r.status, r.headers['x-app-version'], r.headers['x-pod-name']], [500, '2', 'web-b']);
    assert.equal((await get(bad.url + '/healthz')).status, 200);
    assert.equal((await get(good.url + '/')).status, 200);
  } finally {
    await bad.kill();
    await good.kill();
  }
});

test('/livez answers 200 until LIVEZ_FAIL_AFTER_MS, then 500; without it, always 200', async () => {
  const stuck = await runApp({ IMAGE: 'lab/web:1', LIVEZ_FAIL_AFTER_MS: '0' });
  const fine = await runApp({ IMAGE: 'lab/web:1' });
  try {
    assert.equal((await get(stuck.url + '/livez')).status, 500);
    assert.equal((await get(stuck.url + '/')).status, 200);
    assert.equal((await get(fine.url + '/livez')).status, 200);
  } finally {
    await stuck.kill();
    await fine.kill();
  }
});

test('fault settings that are not whole milliseconds are refused in one line', () => {
  assert.throws(() => parseFaults({ OOM_AFTER_MS: 'soon' }), /OOM_AFTER_MS must be a non-negative integer, got "soon"/);
  assert.deepEqual(parseFaults({}), { failVersions: [] });
});

test('DROP_REUSED_EVERY drops every Nth request on a reused connection, never a first one', () => {
  const drop = reusedDropper(2);
  const [a, b] = [{}, {}];
  assert.deepEqual([drop(a), drop(b), drop(a), drop(b), drop(a), drop(b)], [false, false, false, true, false, true]);
  assert.equal(reusedDropper(undefined)(a), false);
});
