import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifests, parseManifests, STDIN_NAME } from '../../src/analyze/load-manifests.js';
import { ZdError } from '../../src/errors.js';

const noStdin = (): Promise<string> => Promise.reject(new Error('stdin not expected'));

test('multi-document YAML gives one object per document with the line it starts on', () => {
  const text = '# a comment\napiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\n---\n\nkind: Deployment\napiVersion: apps/v1\nmetadata: {name: b}\n';
  const objs = parseManifests(text, 'x.yaml');
  assert.deepEqual(objs.map((o) => [o.obj.kind, o.file, o.line]), [['Service', 'x.yaml', 2], ['Deployment', 'x.yaml', 8]]);
});

test('documents without a kind (values files, scalars, empty documents) are skipped', () => {
  const objs = parseManifests('replicaCount: 2\nimage: {tag: x}\n---\njust a string\n---\n- 1\n---\nkind: Service\n', 'v.yaml');
  assert.deepEqual(objs.map((o) => o.obj.kind), ['Service']);
});

test('a kind: List is read item by item, each with its own line', () => {
  const text = 'apiVersion: v1\nkind: List\nitems:\n- kind: Service\n  metadata: {name: a}\n- kind: Deployment\n  metadata: {name: b}\n';
  assert.deepEqual(parseManifests(text, 'l.yaml').map((o) => [o.obj.kind, o.line]), [['Service', 4], ['Deployment', 6]]);
});

test('JSON is read too: an object, a List, or a top-level array', () => {
  assert.deepEqual(parseManifests('{"kind": "Service", "metadata": {"name": "a"}}', 'a.json').map((o) => o.obj.kind), ['Service']);
  const arr = '[\n  {"kind": "Service"},\n  {"kind": "Deployment"}\n]\n';
  assert.deepEqual(parseManifests(arr, 'b.json').map((o) => [o.obj.kind, o.line]), [['Service', 2], ['Deployment', 3]]);
});

const syntaxCases: Array<[string, string, RegExp]> = [
  ['an unclosed flow sequence', 'kind: Service\nmetadata:\n  name: [a\n  labels: {}\n', /^bad\.yaml:4: /],
  ['a duplicate key', 'kind: Service\nmetadata: {}\nkind: Deployment\n', /^bad\.yaml:3: Map keys must be unique$/],
  ['a tab used for indentation in the second document', 'kind: Service\n---\nkind: Service\nspec:\n\tselector: {}\n', /^bad\.yaml:5: /],
  ['broken JSON', '{"kind": "Service",\n "spec": {"a": 1,,}\n}', /^bad\.yaml:2: /],
];

for (const [name, text, expected] of syntaxCases) {
  test(`a YAML syntax error gives file:line on one line: ${name}`, () => {
    assert.throws(() => parseManifests(text, 'bad.yaml'), (err: unknown) => {
      assert.ok(err instanceof ZdError);
      assert.equal(err.code, 'input');
      assert.match(err.message, expected);
      assert.ok(!err.message.includes('\n'), err.message);
      return true;
    });
  });
}

test('directories are read recursively for .yaml, .yml and .json, in name order, skipping dot entries', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'zd-lint-'));
  try {
    await mkdir(join(dir, 'sub'));
    await mkdir(join(dir, '.git'));
    await writeFile(join(dir, 'b.yml'), 'kind: B\n');
    await writeFile(join(dir, 'a.yaml'), 'kind: A\n');
    await writeFile(join(dir, 'sub', 'c.json'), '{"kind": "C"}');
    await writeFile(join(dir, 'notes.txt'), 'kind: Nope\n');
    await writeFile(join(dir, '.git', 'x.yaml'), 'kind: Hidden\n');
    const objs = await loadManifests([dir], noStdin);
    assert.deepEqual(objs.map((o) => o.obj.kind), ['A', 'B', 'C']);
    assert.equal(objs[2]?.file, join(dir, 'sub', 'c.json'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('- reads stdin, named <stdin> in findings', async () => {
  const objs = await loadManifests(['-'], async () => 'kind: Service\n');
  assert.deepEqual(objs.map((o) => [o.obj.kind, o.file, o.line]), [['Service', STDIN_NAME, 1]]);
});

test('a missing path is an input error naming the path', async () => {
  await assert.rejects(loadManifests(['/nonexistent/zd.yaml'], noStdin), (err: unknown) =>
    err instanceof ZdError && err.code === 'input' && err.message === '/nonexistent/zd.yaml: cannot read (ENOENT)');
});
