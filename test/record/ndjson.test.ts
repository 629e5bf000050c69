import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { answer, startServer } from '../helpers/servers.js';
import { openRecordWriter } from '../../src/record/ndjson.js';
import { tempDir } from '../helpers/temp-dir.js';

const tmp = tempDir('zdprobe-ndjson-');

test('a recording whose writes fail (disk full) never stops the run: it probes on, reports, says so on one line and exits 3', async () => {
  const srv = await startServer((_n, _req, res) => answer(res, 200, '1'));
  const json = join(tmp, 'full.json');
  try {
    // /dev/full opens like any file and fails every write with ENOSPC, as a full disk does
    const r = await runCli(['probe', srv.url, '--rps', '20', '-d', '2s', '--record', '/dev/full', '--json', json]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, /GATE PASSED/, 'the report is printed');
    assert.deepEqual(r.stderr.trim().split('\n'), ['zdprobe: the recording /dev/full stopped being written mid-run (ENOSPC); it holds only what came before and is marked incomplete']);
    const s = JSON.parse(readFileSync(json, 'utf8'));
    assert.equal(s.totals.scheduled, 40);
    assert.equal(s.totals.ok, srv.did['200'], 'every request the server answered is counted');
  } finally {
    await srv.close();
  }
});

test('a device such as /dev/stdout is still a valid recording path', async () => {
  const srv = await startServer((_n, _req, res) => answer(res, 200, '1'));
  try {
    const r = await runCli(['probe', srv.url, '--rps', '10', '-d', '1s', '--record', '/dev/stdout']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\{"type":"header"/);
    assert.match(r.stdout, /"type":"footer"/);
  } finally {
    await srv.close();
  }
});

test('a failed write never throws: the writer stops and keeps the first failure to report', () => {
  const w = openRecordWriter('/dev/full');
  w.write({ type: 'flip', flip: { at: 1, from: '1', to: '2', mode: 'reuse' } } as never);
  assert.equal(w.problem(), undefined, 'nothing fails before the flush');
  w.flush();
  assert.match(w.problem() ?? '', /ENOSPC/);
  w.write({ type: 'flip', flip: { at: 2, from: '2', to: '1', mode: 'reuse' } } as never);
  w.flush();
  w.close();
  assert.match(w.problem() ?? '', /ENOSPC/);
});
