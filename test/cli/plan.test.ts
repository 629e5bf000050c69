// Several targets in one run (--plan, --target): one schedule each, one recording, one report,
// every request counted once per target and equal to what each real server logged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { answer, flipping, startServer, statuses } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp-dir.js';

const tmp = tempDir('zdprobe-plan-');
const sum = (m: Record<string, number>): number => Object.values(m).reduce((a, b) => a + b, 0);

test('a two-target plan counts each target exactly as its server logged, and the totals are their sum', async () => {
  const users = await startServer(flipping(1e9));
  const canary = await startServer(statuses([200, 200, 200, 503]));
  const plan = join(tmp, 'two.yaml');
  writeFileSync(plan, `rps: 20\ntargets:\n  - {name: users, url: "${users.url}"}\n  - {name: canary, url: "${canary.url}", rps: 10, headers: {end-user: test-user}}\n`);
  const json = join(tmp, 'two.json');
  const rec = join(tmp, 'two.ndjson');
  try {
    const r = await runCli(['probe', '--plan', plan, '-d', '2s', '--json', json, '--record', rec]);
    assert.equal(r.code, 1, 'the canary answered 503s, so the gate fails');
    const s = JSON.parse(readFileSync(json, 'utf8'));
    assert.deepEqual(Object.keys(s.targets), ['users', 'canary']);
    assert.deepEqual(s.targets.users.status, users.did, 'users: counted as the server logged');
    assert.deepEqual(s.targets.canary.status, canary.did, 'canary: counted as the server logged');
    assert.equal(s.targets.users.totals.scheduled, 40);
    assert.equal(s.targets.canary.totals.scheduled, 20);
    for (const k of ['scheduled', 'sent', 'ok', 'failed', 'late']) {
      assert.equal(s.totals[k], s.targets.users.totals[k] + s.targets.canary.totals[k], `top-level ${k} is the sum`);
    }
    assert.equal(sum(s.status), sum(users.did) + sum(canary.did));
    assert.ok(s.incidents.length > 0 && s.incidents.every((i: { target: string }) => i.target === 'canary'), 'the incidents name the failing target');
    assert.match(r.stdout, /target\s+│\s+url/, 'the terminal report has a row per target');
    const again = await runCli(['report', rec, '--format', 'json']);
    assert.deepEqual(JSON.parse(again.stdout), s, 'the recording re-reports to the same summary');
  } finally {
    await users.close();
    await canary.close();
  }
});

test('--target NAME=URL is the shorthand for a plan; JUnit gets a testcase per target', async () => {
  const blue = await startServer(flipping(1e9));
  const green = await startServer((_n, _req, res) => answer(res, 200, '2'));
  try {
    const r = await runCli(['probe', '--target', `blue=${blue.url}`, '--target', `green=${green.url}green/`, '--rps', '10', '-d', '1s', '--format', 'junit']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /<testcase classname="zdprobe.targets" name="target blue"/);
    assert.match(r.stdout, /<testcase classname="zdprobe.targets" name="target green"/);
    assert.equal(sum(blue.did) + sum(green.did), 20);
  } finally {
    await blue.close();
    await green.close();
  }
});

test('a target expecting a version and a declared split is checked on its own traffic', async () => {
  const v2 = await startServer((_n, _req, res) => answer(res, 200, '2'));
  // Each split target has its own server: one server alternating for two targets would not give each half.
  const half = await startServer((n, _req, res) => answer(res, 200, n % 2 === 0 ? '1' : '2'));
  const alsoHalf = await startServer((n, _req, res) => answer(res, 200, n % 2 === 0 ? '1' : '2'));
  const plan = join(tmp, 'expect.json');
  writeFileSync(plan, JSON.stringify({ rps: 20, targets: [
    { name: 'test-user', url: v2.url, expectVersion: 'v2' },
    { name: 'users', url: half.url, expectSplit: { 1: 50, 2: 50 } },
    { name: 'wrong', url: alsoHalf.url, expectSplit: { 1: 90, 2: 10 } },
  ] }));
  const json = join(tmp, 'expect-summary.json');
  try {
    const r = await runCli(['probe', '--plan', plan, '-d', '2s', '--json', json]);
    const s = JSON.parse(readFileSync(json, 'utf8'));
    assert.equal(r.code, 1, 'the wrong declared split fails the gate');
    const version = s.gate.checks.find((c: { id: string }) => c.id === 'expect-version');
    assert.deepEqual([version.target, version.passed], ['test-user', true]);
    const byTarget = Object.fromEntries(s.splits.map((x: { target: string; passed: boolean }) => [x.target, x.passed]));
    assert.deepEqual(byTarget, { users: true, wrong: false });
    assert.match(s.gate.reasons.join(), /wrong: plan target wrong/);
  } finally {
    await v2.close();
    await half.close();
    await alsoHalf.close();
  }
});

const badPlans: Array<[string, string, RegExp]> = [
  ['a plan without targets', 'rps: 5\n', /needs a "targets" list/],
  ['an unknown field', 'targets:\n  - {name: a, url: "http://127.0.0.1:1/", rsp: 5}\n', /unknown field "rsp"/],
  ['two targets of one name', 'targets:\n  - {name: a, url: "http://127.0.0.1:1/"}\n  - {name: a, url: "http://127.0.0.1:2/"}\n', /two targets are named "a"/],
  ['a split that does not add up', 'targets:\n  - {name: a, url: "http://127.0.0.1:1/", expectSplit: {"1": 50}}\n', /add up to 100/],
  ['h2 on a clear-text URL', 'targets:\n  - {name: a, url: "http://127.0.0.1:1/", protocol: h2}\n', /protocol h2 needs an https:\/\/ URL/],
  ['h2c on a TLS URL', 'targets:\n  - {name: a, url: "https://127.0.0.1:1/", protocol: h2c}\n', /h2c is HTTP\/2 without TLS/],
  ['an unknown protocol', 'targets:\n  - {name: a, url: "http://127.0.0.1:1/", protocol: h3}\n', /protocol "h3" must be one of auto, h1, h2, h2c/],
  ['a protocol on a grpc target', 'targets:\n  - {name: a, url: "grpc://127.0.0.1:1", protocol: h1}\n', /always speaks HTTP\/2/],
  ['a gRPC method that is not pkg.Service/Method', 'targets:\n  - {name: a, url: "grpc://127.0.0.1:1", method: POST}\n', /must be pkg.Service\/Method/],
  ['a gRPC method on an http target', 'targets:\n  - {name: a, url: "http://127.0.0.1:1/", method: pkg.Svc/Check}\n', /is a gRPC method/],
  ['not YAML at all', 'targets: [\n', /not valid YAML or JSON/],
];
for (const [name, text, message] of badPlans) {
  test(`plan: ${name} is exit 2 with one line`, async () => {
    const plan = join(tmp, `bad-${name.replace(/\W+/g, '-')}.yaml`);
    writeFileSync(plan, text);
    const r = await runCli(['probe', '--plan', plan, '-d', '1s']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });
}

test('a URL argument beside --plan is refused: the plan names the URLs', async () => {
  const r = await runCli(['probe', 'http://127.0.0.1:1/', '--target', 'a=http://127.0.0.1:1/', '-d', '1s']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /drop the URL argument/);
});

test('a plan header takes ${NAME} from the environment for a name in its env, and never shows it', async () => {
  const srv = await startServer((_n, req, res) => answer(res, req.headers['authorization'] === 'Bearer s3cret-token' ? 200 : 401, '1'));
  const plan = join(tmp, 'env.yaml');
  writeFileSync(plan, `env:\n  API_TOKEN: {secret: shop-probe, key: token}\ntargets:\n  - {name: api, url: "${srv.url}", headers: {Authorization: "Bearer \${API_TOKEN}", X-Literal: "\${NOT_DECLARED}"}}\n`);
  const rec = join(tmp, 'env.ndjson');
  try {
    const r = await runCli(['probe', '--plan', plan, '-d', '1s', '--rps', '10', '--record', rec], { env: { API_TOKEN: 's3cret-token' } });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(srv.did, { '200': 10 }, 'every request carried the token from the environment');
    assert.doesNotMatch(readFileSync(rec, 'utf8') + r.stdout + r.stderr, /s3cret-token/, 'the value is in no output');
    const unset = await runCli(['probe', '--plan', plan, '-d', '1s'], { env: { API_TOKEN: undefined } });
    assert.equal(unset.code, 2);
    assert.match(unset.stderr, /^zdprobe: target api: header uses \$\{API_TOKEN\} but API_TOKEN is not set \(zdprobe job sets it from Secret shop-probe, key token\)\n$/);
  } finally {
    await srv.close();
  }
});
