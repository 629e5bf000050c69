// `npm test` must work on every supported Node: newer Node's `node --test` refuses a directory, and
// Node 20 does not expand globs itself, so the script hands it files the shell expanded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string>; engines: { node: string } };

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.js') ? [relative(root, path)] : [];
  });
}

test('npm test gives node --test every test file, and no directory', () => {
  const args = /node --test (.*)$/.exec(pkg.scripts['test'] ?? '')?.[1];
  assert.ok(args, pkg.scripts['test']);
  // expanded as npm's shell expands it
  const expanded = execFileSync('sh', ['-c', `for f in ${args}; do case "$f" in -*) ;; *) echo "$f";; esac; done`], { cwd: root, encoding: 'utf8' }).trim().split('\n');
  for (const f of expanded) assert.ok(statSync(join(root, f)).isFile(), `${f} is not a test file`);
  assert.deepEqual(expanded.sort(), testFiles(join(root, 'dist/test')).sort());
});

test('package.json and the README name the same supported Node majors', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const majors = [...pkg.engines.node.matchAll(/\^(\d+)\./g)].map((m) => m[1]);
  assert.deepEqual(majors, ['20', '22', '24']);
  assert.match(readme, /Supported Node versions: 20 \(>= 20\.18\.1\), 22 \(>= 22\.12\) and 24/);
});
