// Pods of an Indexed Job write their recordings to their logs between markers (--record-marker);
// `zdprobe merge --from-logs` splits the logs back and merges them exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.js';
import { startServer, statuses } from '../helpers/servers.js';
import { splitLogs } from '../../src/record/log-markers.js';

const shard = (url: string, i: number): string[] =>
  ['probe', url, '--rps', '30', '--shard', `${i}/2`, '-d', '2s', '--record', '/dev/stdout', '--record-marker', `shard-${i}`];

const prefixed = (pod: string, log: string): string => log.split('\n').map((l) => `[pod/${pod}/zdprobe] ${l}`).join('\n');

test('two shards logged to stdout merge from their logs to what the server logged', async () => {
  const srv = await startServer(statuses([200, 200, 503]));
  try {
    const [a, b] = await Promise.all([runCli(shard(srv.url, 0)), runCli(shard(srv.url, 1))]);
    assert.equal(a.code, 1, 'the 503s fail each shard');
    // plain concatenation (kubectl logs of each pod in turn) and interleaved --prefix lines
    const aLines = prefixed('job-0-x', a.stdout + a.stderr).split('\n');
    const bLines = prefixed('job-1-y', b.stdout + b.stderr).split('\n');
    const interleaved = aLines.flatMap((l, i) => [l, bLines[i] ?? '']).concat(bLines.slice(aLines.length)).join('\n');
    for (const logs of [a.stdout + b.stdout, interleaved]) {
      const r = await runCli(['merge', '--from-logs', '-', '--format', 'json'], { input: logs });
      assert.equal(r.code, 1, r.stderr);
      const s = JSON.parse(r.stdout);
      assert.equal(s.totals.scheduled, 60, '2 s at 15 rps each');
      assert.deepEqual(s.status, srv.did, 'the merged statuses are the server log');
      assert.equal(s.sources.length, 2);
    }
  } finally {
    await srv.close();
  }
});

test('a recording cut off without its end marker is kept as far as it goes', () => {
  const header = JSON.stringify({ type: 'header', format: 2, tool: 'zdprobe', version: 'x', startedAt: 1, config: {} });
  const logs = ['noise', '#zdprobe-recording begin a', header, 'zdprobe: a stderr line', '{"type":"bucket","buck', '#zdprobe-recording begin b', header, '#zdprobe-recording end b'].join('\n');
  const found = splitLogs(logs);
  assert.deepEqual(found.map((r) => [r.name, r.lines.length, r.complete]), [['a', 1, false], ['b', 1, true]]);
});

test('logs without markers are one line, exit 2', async () => {
  const r = await runCli(['merge', '--from-logs', '-'], { input: 'hello\n' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^zdprobe: stdin: no "#zdprobe-recording begin" marker/);
});
