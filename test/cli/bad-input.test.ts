// Bad input of every kind: one line on stderr, exit 2, no stack trace, and no request sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { answer, startServer } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp-dir.js';

const tmp = tempDir('zdprobe-bad-');
const file = (name: string, content: string | Buffer): string => {
  writeFileSync(join(tmp, name), content);
  return join(tmp, name);
};
const emptyDir = join(tmp, 'empty');
mkdirSync(emptyDir);
const notPem = file('not-a-ca.pem', 'this is not a certificate\n');
const summaryJson = file('summary.json', JSON.stringify({ target: 'http://x/', totals: { ok: 1 } }, null, 2));
const binary = file('binary.yaml', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0xff, 0xfe, 0]));
const badYaml = file('bad-scenario.yaml', 'description: x\nsteps: [\n');

// [what, args after the URL (probe) or the whole command line, message]
const probeCases: Array<[string, string[], RegExp]> = [
  ['a header name with a space', ['-H', 'Bad Name: x'], /-H "Bad Name: x" is not a header/],
  ['a header value with a line break', ['-H', 'X-A: one\r\ntwo'], /-H X-A: the value holds a line break/],
  ['a method that is not a token', ['-X', 'GET /x'], /-X "GET \/x" is not an HTTP method/],
  ['an absurd rate', ['--rps', '1e9'], /--rps 1e9 is more than one zdprobe process can schedule \(at most 50000\)/],
  ['--protocol h2 on a clear-text URL', ['--protocol', 'h2'], /protocol h2 needs an https:\/\/ URL \(HTTP\/2 without TLS is h2c\)/],
  ['an unknown --protocol', ['--protocol', 'h3'], /--protocol "h3" must be one of auto, h1, h2, h2c/],
  ['a gRPC method on an http URL', ['-X', 'grpc.health.v1.Health/Check'], /is a gRPC method: use a grpc:\/\/ or grpcs:\/\/ URL/],
  ['a zero duration', ['--duration', '0'], /--duration 0 is no time at all/],
  ['a --ca file that is not PEM', ['--ca', notPem], /is not a PEM certificate file/],
  ['an --ok-status above 599', ['--ok-status', '200-600'], /--ok-status: 200-600 is not an HTTP status/],
  ['an --ok-status below 100', ['--ok-status', '099'], /is not an HTTP status/],
  ['--warmup without a command', ['--warmup', '2s'], /--warmup applies to a deploy command, and none was given/],
  ['an extra positional argument', ['kubectl'], /unexpected argument "kubectl": probe takes one URL; put a deploy command after --/],
  ['a directory as the recording', ['--record', emptyDir], /cannot write the recording to .*EISDIR/],
  ['--until rollout-complete with nothing to follow', ['--until', 'rollout-complete'], /needs the rollout to follow: add --deployment NAME/],
  ['a --shard index not below its count', ['--shard', '2/2'], /--shard "2\/2": give i\/n with 0 <= i < n/],
  ['a --record-marker with a space', ['--record', '/dev/stdout', '--record-marker', 'a b'], /--record-marker "a b" must be one word/],
  ['a --metrics-addr without a port', ['--metrics-addr', '127.0.0.1'], /--metrics-addr "127.0.0.1": give host:port/],
  ['--until rollout-complete beside a command', ['--until', 'rollout-complete', '--deployment', 'web', '--warmup', '0s', '--', 'true'], /is for runs without a deploy command/],
];
for (const [name, args, message] of probeCases) {
  test(`probe with ${name}: one line, exit 2, and no request sent`, async () => {
    const srv = await startServer((_n, _req, res) => answer(res, 200, '1'));
    try {
      const r = await runCli(['probe', srv.url, '-d', '1s', ...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
      assert.deepEqual(srv.did, {}, 'no request reached the server');
    } finally {
      await srv.close();
    }
  });
}

const otherCases: Array<[string, string[], RegExp]> = [
  ['report given a directory', ['report', emptyDir], /is a directory: give the recording file written by probe --record/],
  ['report given a JSON summary', ['report', summaryJson], /not a zdprobe recording .*a --json summary is not one/],
  ['lab run given malformed YAML', ['lab', 'run', badYaml], /bad-scenario.yaml: not valid YAML/],
  ['lab run given a missing scenario file', ['lab', 'run', join(tmp, 'missing.yaml')], /scenario file .*missing.yaml: cannot read \(ENOENT\)/],
  ['lint given an empty directory', ['lint', emptyDir], /lint: no Kubernetes objects in /],
  ['lint given a binary file', ['lint', binary], /binary.yaml: a binary file, not YAML or JSON manifests/],
  ['lint given JSON that holds no Kubernetes object', ['lint', summaryJson], /lint: no Kubernetes objects in /],
];
for (const [name, args, message] of otherCases) {
  test(`${name}: one line, exit 2`, async () => {
    const r = await runCli(args);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
  });
}

test('report piped into a reader that left (report | head) exits quietly', async () => {
  const srv = await startServer((_n, _req, res) => answer(res, 200, '1'));
  const rec = join(tmp, 'epipe.ndjson');
  try {
    assert.equal((await runCli(['probe', srv.url, '--rps', '10', '-d', '1s', '--record', rec])).code, 0);
    // the read end is closed before zdprobe writes: every write fails with EPIPE
    const r = await runCli(['report', rec, '--format', 'html'], { onSpawn: (c) => void c.stdout?.destroy() });
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
  } finally {
    await srv.close();
  }
});
