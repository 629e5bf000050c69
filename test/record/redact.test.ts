import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { answer, startServer } from '../helpers/servers.js';
import { redactArgv, redactConfig, redactHeaders, redactUrl } from '../../src/record/redact.js';
import type { ProbeConfig } from '../../src/types.js';
import { tempDir } from '../helpers/temp-dir.js';

const tmp = tempDir('zdprobe-redact-');

test('a probe with secrets in the URL, headers, body and wrapped command leaves none in any output', async () => {
  const secrets = ['pa55word', 'al1ce', 'QS-one', 'QS-two', 'HS-bearer', 'HS-custom', 'HS-cookie', 'DS-body', 'CS-flag', 'CS-arg'];
  let seen = '';
  const srv = await startServer((_n, req, res) => {
    seen = `${req.url} ${req.headers.authorization} ${req.headers['x-custom']}`;
    return answer(res, 200, '1');
  });
  const rec = join(tmp, 'secrets.ndjson');
  const json = join(tmp, 'secrets.json');
  const stepSummary = join(tmp, 'step-summary.md');
  try {
    const url = srv.url.replace('http://', 'http://al1ce:pa55word@') + '?token=QS-one&page=QS-two';
    const args = ['probe', url, '--rps', '10', '-d', '1s', '--warmup', '0s', '-X', 'POST', '--data', 'DS-body',
      '-H', 'Authorization: Bearer HS-bearer', '-H', 'X-Custom: HS-custom', '-H', 'Cookie: s=HS-cookie', '-H', 'User-Agent: shown-agent',
      '--record', rec, '--json', json, '--', 'true', '--token=CS-flag', 'CS-arg'];
    const run = await runCli(args, { env: { GITHUB_STEP_SUMMARY: stepSummary } });
    assert.equal(run.code, 0, run.stderr);
    assert.match(seen, /QS-one.* Bearer HS-bearer HS-custom/, 'the secrets were really sent');
    const outputs: Record<string, string> = {
      'probe stdout': run.stdout, 'probe stderr': run.stderr, recording: readFileSync(rec, 'utf8'),
      '--json': readFileSync(json, 'utf8'), GITHUB_STEP_SUMMARY: readFileSync(stepSummary, 'utf8'),
    };
    for (const format of ['table', 'md', 'json', 'junit', 'html']) {
      const r = await runCli(['report', rec, '--format', format]);
      assert.equal(r.code, 0, r.stderr);
      outputs[`report --format ${format}`] = r.stdout + r.stderr;
    }
    for (const [where, text] of Object.entries(outputs)) {
      for (const secret of secrets) assert.ok(!text.includes(secret), `${where} holds ${secret}`);
    }
    // What is harmless stays readable: the allow-listed header, the query's names, the program name.
    assert.match(outputs.recording!, /shown-agent/);
    assert.match(outputs.recording!, /\?token=<redacted>&page=<redacted>/);
    assert.deepEqual(JSON.parse(outputs['--json']!).command.argv, ['true', '<redacted>', '<redacted>']);
  } finally {
    await srv.close();
  }
});

test('header values are hidden except the allow-list and the routing headers the user names', () => {
  const headers = { Host: 'h', accept: 'a', 'User-Agent': 'u', 'Content-Type': 'c', 'end-user': 'jason', 'X-Thing': 'x', Authorization: 'Bearer t' };
  assert.deepEqual(redactHeaders(headers, ['End-User']), { Host: 'h', accept: 'a', 'User-Agent': 'u', 'Content-Type': 'c', 'end-user': 'jason', 'X-Thing': '<redacted>', Authorization: '<redacted>' });
  assert.equal(redactHeaders(headers)['end-user'], '<redacted>');
});

const urls: Array<[string, string]> = [
  ['http://u:p@h:8080/a?x=1&y=2#frag', 'http://h:8080/a?x=<redacted>&y=<redacted>'],
  ['https://h/', 'https://h/'],
  ['http://h/p?flag', 'http://h/p?flag=<redacted>'],
];
for (const [input, shown] of urls) test(`the URL ${input} is shown as ${shown}`, () => assert.equal(redactUrl(input), shown));

test('a wrapped command keeps its program name, never its arguments', () => {
  assert.deepEqual(redactArgv(['kubectl', '--token=t', 'apply']), ['kubectl', '<redacted>', '<redacted>']);
  assert.deepEqual(redactArgv(['helm upgrade --set pw=x web .']), ['helm <redacted>']);
  assert.deepEqual(redactArgv(['./deploy.sh']), ['./deploy.sh']);
});

test('the recorded config keeps the routing headers the user named', () => {
  const config = { url: 'http://h/?k=v', headers: { 'end-user': 'jason', 'X-Key': 'k' }, showHeaders: ['end-user'], data: 'body' } as unknown as ProbeConfig;
  const recorded = redactConfig(config);
  assert.deepEqual([recorded.url, recorded.headers, recorded.data], ['http://h/?k=<redacted>', { 'end-user': 'jason', 'X-Key': '<redacted>' }, '<4 bytes, not recorded>']);
});
