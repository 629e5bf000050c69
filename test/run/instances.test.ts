// Per instance (pod): with --instance-from, each pod's ok and failed answers, and when it first and
// last answered, as the server that played the pods counted them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRun } from '../../src/run/index.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { startServer } from '../helpers/servers.js';
import { testConfig } from '../helpers/probe-config.js';
import { schemaProblems } from '../helpers/json-schema.js';

test('each pod\'s answers are counted, with its first and last answer', async () => {
  const byPod: Record<string, { ok: number; failed: number }> = {};
  // Three pods in turn; pod-c answers 503. pod-a stops answering after the 20th request.
  const srv = await startServer((n, _req, res) => {
    const pod = n < 20 ? ['pod-a', 'pod-b', 'pod-c'][n % 3]! : ['pod-b', 'pod-c'][n % 2]!;
    const status = pod === 'pod-c' ? 503 : 200;
    const c = (byPod[pod] ??= { ok: 0, failed: 0 });
    if (status === 200) c.ok += 1;
    else c.failed += 1;
    res.writeHead(status, { 'x-pod-name': pod, 'x-app-version': '1' }).end();
    return String(status);
  });
  try {
    const s = await startRun({ plan: { targets: [testConfig(srv.url, { rps: 30, durationS: 2, instanceFrom: { kind: 'header', name: 'x-pod-name' } })] } });
    const counted = Object.fromEntries(Object.entries(s.instances ?? {}).map(([pod, c]) => [pod, { ok: c.ok, failed: c.failed }]));
    assert.deepEqual(counted, byPod);
    const a = s.instances!['pod-a']!;
    const b = s.instances!['pod-b']!;
    assert.ok(a.last < b.last, 'pod-a stopped answering before pod-b did');
    assert.match(renderTerminal(s), /pod-c\s+│\s+0\s+│\s+\d+/);
    assert.deepEqual(schemaProblems('summary.schema.json', s), []);
  } finally {
    await srv.close();
  }
});
