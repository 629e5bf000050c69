import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { answer, flipping, refusedUrl, startServer, statuses } from '../helpers/servers.js';

/** Waits (bounded) until the recording holds its first complete second. */
async function untilBucket(path: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (existsSync(path) && readFileSync(path, 'utf8').includes('"type":"bucket"')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'zdprobe-cli-'));

const badInputs: Array<[string, string[], number, RegExp]> = [
  ['an invalid URL', ['probe', 'nope'], 2, /not a valid URL/],
  ['an unknown flag', ['probe', 'http://127.0.0.1:1/', '--bogus'], 2, /unknown option '--bogus'/],
  ['a bad duration', ['probe', 'http://127.0.0.1:1/', '--duration', 'soon'], 2, /--duration "soon" is not a duration/],
  ['a bad regex', ['probe', 'http://127.0.0.1:1/', '--version-from', 'body:(', '-d', '1s'], 2, /bad regex/],
  ['an unwritable record path', ['probe', 'http://127.0.0.1:1/', '-d', '1s', '--record', '/nonexistent/dir/r.ndjson'], 2, /cannot write the recording/],
  ['an unresolvable host', ['probe', 'http://no-such-host.invalid/', '-d', '1s'], 3, /cannot resolve host "no-such-host.invalid"/],
  ['a missing recording', ['report', '/nonexistent/r.ndjson'], 2, /cannot read recording/],
];
for (const [name, args, code, message] of badInputs) {
  test(`${name} gives one line, exit ${code}, no stack trace`, async () => {
    const r = await runCli(args);
    assert.equal(r.code, code, r.stderr);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
}

test('a target that never answers exits 3 and says so', async () => {
  const r = await runCli(['probe', await refusedUrl(), '--rps', '10', '-d', '1s']);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /never answered \(10× refused\)/);
});

test('the recording rebuilds exactly the summary the run printed', async () => {
  const srv = await startServer(statuses([200, 200, 200, 502]));
  const rec = join(tmp, 'round.ndjson');
  const json = join(tmp, 'round.json');
  try {
    const run = await runCli(['probe', srv.url, '--rps', '40', '-d', '1s', '--record', rec, '--json', json]);
    assert.equal(run.code, 1, 'the 502s fail the gate');
    const report = await runCli(['report', rec, '--format', 'json']);
    assert.equal(report.code, 1);
    assert.deepEqual(JSON.parse(report.stdout), JSON.parse(readFileSync(json, 'utf8')));
    assert.equal(JSON.parse(report.stdout).status['502'], srv.did['502']);
  } finally {
    await srv.close();
  }
});

test('a wrapped command runs after the warmup, its output is marked, and its failure fails the gate', async () => {
  const srv = await startServer(flipping(1e9));
  try {
    const r = await runCli(['probe', srv.url, '--rps', '20', '--warmup', '300ms', '--settle', '300ms', '--', 'sh', '-c', 'echo deploying; exit 3']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\[cmd\] deploying/);
    assert.match(r.stdout, /the wrapped command exited with code 3/);
  } finally {
    await srv.close();
  }
});

test('Ctrl-C stops the run, and the recording and report are still written', async () => {
  const srv = await startServer(flipping(1e9));
  const rec = join(tmp, 'sigint.ndjson');
  try {
    const r = await runCli(['probe', srv.url, '--rps', '20', '--record', rec], {
      onSpawn: (c) => void untilBucket(rec).then(() => c.kill('SIGINT')),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /GATE PASSED/);
    const lines = readFileSync(rec, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.at(-1).type, 'footer');
    assert.ok(lines.at(-1).summary.totals.ok > 0);
  } finally {
    await srv.close();
  }
});

test('a run killed outright leaves a recording that still reports, marked incomplete, and never passes the gate', async () => {
  const srv = await startServer(flipping(1e9));
  const rec = join(tmp, 'killed.ndjson');
  try {
    await runCli(['probe', srv.url, '--rps', '20', '--record', rec], { onSpawn: (c) => void untilBucket(rec).then(() => c.kill('SIGKILL')) });
    const report = await runCli(['report', rec, '--format', 'json']);
    assert.equal(report.code, 1, 'an incomplete recording cannot prove that nothing was dropped');
    const s = JSON.parse(report.stdout);
    assert.equal(s.complete, false);
    assert.equal(s.gate.passed, false);
    assert.deepEqual(s.gate.checks.filter((c: { passed: boolean }) => !c.passed).map((c: { id: string }) => c.id), ['complete']);
    const junit = await runCli(['report', rec, '--format', 'junit']);
    assert.equal(junit.code, 1);
    assert.match(junit.stdout, /<failure[^>]*>[^<]*incomplete/);
    assert.ok(s.totals.ok >= 20, `at least the first second was flushed (${s.totals.ok})`);
    assert.equal(s.totals.scheduled, s.totals.ok, 'every flushed second is fully accounted for');
  } finally {
    await srv.close();
  }
});

test('secret headers never reach the recording', async () => {
  const srv = await startServer(flipping(1e9));
  const rec = join(tmp, 'secret.ndjson');
  try {
    await runCli(['probe', srv.url, '--rps', '10', '-d', '1s', '-H', 'Authorization: Bearer s3cr3t-token', '--record', rec]);
    assert.doesNotMatch(readFileSync(rec, 'utf8'), /s3cr3t-token/);
  } finally {
    await srv.close();
  }
});

test('credentials in the URL are sent as Basic auth and never recorded, nor query values', async () => {
  let seen = '';
  const srv = await startServer((_n, req, res) => {
    seen = String(req.headers.authorization ?? '');
    return answer(res, 200, '1');
  });
  const rec = join(tmp, 'url-secret.ndjson');
  try {
    const url = srv.url.replace('http://', 'http://alice:pa55word@') + '?token=t0ken-value&page=2';
    const r = await runCli(['probe', url, '--rps', '10', '-d', '1s', '--record', rec]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(seen, `Basic ${Buffer.from('alice:pa55word').toString('base64')}`);
    const text = readFileSync(rec, 'utf8') + r.stdout;
    assert.doesNotMatch(text, /pa55word|t0ken-value|alice/);
    assert.match(text, /page=<redacted>/);
  } finally {
    await srv.close();
  }
});

test('a wrapped command still running when the run ends is stopped and fails the gate', async () => {
  const srv = await startServer(flipping(1e9));
  try {
    const started = Date.now();
    const r = await runCli(['probe', srv.url, '--rps', '10', '-d', '1s', '--warmup', '0s', '--', 'sleep', '30']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /the wrapped command did not finish \(SIGTERM\)/);
    assert.ok(Date.now() - started < 25_000, 'the run did not wait for the command');
  } finally {
    await srv.close();
  }
});

test('report re-gates a recording with new thresholds, read from a file or from stdin', async () => {
  const srv = await startServer(statuses([200, 200, 200, 200, 503]));
  const rec = join(tmp, 'regate.ndjson');
  try {
    const first = await runCli(['probe', srv.url, '--rps', '20', '-d', '2s', '--record', rec]);
    assert.equal(first.code, 1, 'the 503s fail the recorded gate (none allowed)');
    const lenient = await runCli(['report', rec, '--max-failure-rate', '25%', '--format', 'json']);
    assert.equal(lenient.code, 0, lenient.stderr);
    const s = JSON.parse(lenient.stdout);
    assert.deepEqual(s.gate.checks.map((c: { id: string }) => c.id), ['max-failure-rate', 'scheduled'], 'the given threshold replaced the recorded gate');
    const strict = await runCli(['report', '-', '--max-failure-rate', '5%'], { input: readFileSync(rec, 'utf8') });
    assert.equal(strict.code, 1, 'from stdin, 20% dropped is above 5%');
    assert.match(strict.stdout, /failure rate 20\.000% above the allowed 5\.000%/);
  } finally {
    await srv.close();
  }
});
