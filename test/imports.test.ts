// The folder structure is the pipeline: imports between stage folders go one way only, and the lab
// (test infrastructure) is reached from the product only by the lab and demo commands, lazily.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

interface Import { from: string; to: string; typeOnly: boolean; dynamic: boolean }

const walk = (d: string): string[] =>
  readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });

/** Top folder under src of a file ('.' for files directly in src). */
const folderOf = (file: string): string => {
  const parts = relative(SRC, file).split('/');
  return parts.length > 1 ? parts[0]! : '.';
};

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const found: Import[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+'(\.[^']+)'/gm)) {
    found.push({ from: file, to: resolve(dirname(file), m[3]!), typeOnly: Boolean(m[2]), dynamic: false });
  }
  for (const m of text.matchAll(/import\(\s*'(\.[^']+)'\s*\)/g)) found.push({ from: file, to: resolve(dirname(file), m[1]!), typeOnly: false, dynamic: true });
  return found;
}

const ALL = walk(SRC).flatMap(importsOf);

function folderGraph(): Map<string, Set<string>> {
  const g = new Map<string, Set<string>>();
  for (const i of ALL) {
    const [a, b] = [folderOf(i.from), folderOf(i.to)];
    if (a === b || b === '.') continue;
    if (!g.has(a)) g.set(a, new Set());
    g.get(a)!.add(b);
  }
  return g;
}

/** Every cycle's folders in order, found by depth-first search. */
function cycles(g: Map<string, Set<string>>): string[][] {
  const found: string[][] = [];
  const visit = (node: string, path: string[]): void => {
    for (const next of g.get(node) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) found.push([...path.slice(at), next]);
      else visit(next, [...path, next]);
    }
  };
  for (const start of g.keys()) visit(start, [start]);
  return found;
}

test('the cycle finder finds a cycle when there is one', () => {
  const g = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])]]);
  assert.ok(cycles(g).some((c) => c.join('>') === 'a>b>c>a'));
  assert.deepEqual(cycles(new Map([['a', new Set(['b'])]])), []);
});

test('imports between src folders have no cycle', () => {
  const g = folderGraph();
  assert.ok(g.size >= 8, `the graph was read (${g.size} folders import others)`);
  assert.deepEqual(cycles(g).map((c) => c.join(' -> ')), []);
});

test('the product reaches the lab only from the lab and demo commands, and only lazily', () => {
  const intoLab = ALL.filter((i) => folderOf(i.to) === 'lab' && folderOf(i.from) !== 'lab' && !i.typeOnly);
  assert.ok(intoLab.length > 0, 'the lab commands do load the lab');
  for (const i of intoLab) {
    const from = relative(SRC, i.from);
    assert.ok(['cli/lab.ts', 'cli/demo.ts'].includes(from), `${from} imports the lab`);
    assert.ok(i.dynamic, `${from} imports ${relative(SRC, i.to)} eagerly`);
  }
});

test('the lab uses the product only through src/run (and the shared types and Kubernetes core)', () => {
  const allowed = new Set(['lab', 'run', 'kube', '.']);
  const stray = ALL.filter((i) => folderOf(i.from) === 'lab' && !i.typeOnly && !allowed.has(folderOf(i.to)));
  assert.deepEqual(stray.map((i) => `${relative(SRC, i.from)} -> ${relative(SRC, i.to)}`), []);
});
