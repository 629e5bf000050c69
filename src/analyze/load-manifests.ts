// Manifests in, SourcedObjects out: multi-document YAML or JSON files, directories of them,
// stdin (`-`, for Helm or kustomize output), or the live objects of one namespace.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments, isMap, isSeq, type Node } from 'yaml';
import { ZdError } from '../errors.js';
import type { KubeObject, SourcedObject } from '../types.js';

export const STDIN_NAME = '<stdin>';
const MANIFEST_EXT = /\.(ya?ml|json)$/i;

const isObject = (v: unknown): v is KubeObject => typeof v === 'object' && v !== null && !Array.isArray(v);

// Helm values, kustomization files and empty documents carry no kind: not Kubernetes objects.
const isKubeObject = (v: unknown): v is KubeObject => isObject(v) && typeof v.kind === 'string';

function lineOf(lc: LineCounter, node: Node | null | undefined): number | undefined {
  const start = node?.range?.[0];
  return start === undefined ? undefined : lc.linePos(start).line;
}

/** `kind: List` (kubectl get -o yaml) and top-level arrays hold objects one level down. */
function itemNodes(node: Node | null): Array<{ value: unknown; node: Node | null }> {
  if (isSeq(node)) return node.items.map((n) => ({ value: (n as Node).toJSON(), node: n as Node }));
  if (isMap(node)) {
    const value = node.toJSON() as unknown;
    const items = node.get('items', true);
    if (isObject(value) && String(value.kind ?? '').endsWith('List') && isSeq(items)) return itemNodes(items);
    return [{ value, node }];
  }
  return [{ value: node?.toJSON() as unknown, node }];
}

/** Parses one file's text; a syntax error throws ZdError('input', 'file:line: message'). */
export function parseManifests(text: string, file: string): SourcedObject[] {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc });
  const out: SourcedObject[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const err = doc.errors[0];
    if (err) {
      const line = lc.linePos(err.pos[0]).line;
      const msg = err.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? err.code;
      throw new ZdError('input', `${file}:${line}: ${msg}`);
    }
    for (const { value, node } of itemNodes(doc.contents as Node | null)) {
      if (!isKubeObject(value)) continue;
      const src: SourcedObject = { obj: value, file };
      const line = lineOf(lc, node);
      if (line !== undefined) src.line = line;
      out.push(src);
    }
  }
  return out;
}

async function manifestFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const sorted = entries.filter((e) => !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name));
  const nested = await Promise.all(sorted.map(async (e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return manifestFiles(path);
    return e.isFile() && MANIFEST_EXT.test(e.name) ? [path] : [];
  }));
  return nested.flat();
}

async function expand(path: string): Promise<string[]> {
  try {
    return (await stat(path)).isDirectory() ? await manifestFiles(path) : [path];
  } catch (err) {
    throw new ZdError('input', `${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

async function readText(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ZdError('input', `${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  // YAML would read a binary file as one odd string and find "no objects"; say what it is instead.
  if (text.includes('\0')) throw new ZdError('input', `${path}: a binary file, not YAML or JSON manifests`);
  return text;
}

/** Loads files and directories in order; `-` reads all of stdin through `readStdin`. */
export async function loadManifests(paths: string[], readStdin: () => Promise<string>): Promise<SourcedObject[]> {
  const out: SourcedObject[] = [];
  for (const path of paths) {
    if (path === '-') {
      out.push(...parseManifests(await readStdin(), STDIN_NAME));
      continue;
    }
    for (const file of await expand(path)) out.push(...parseManifests(await readText(file), file));
  }
  return out;
}

export interface ClusterSource {
  namespace?: string;
  kubeconfig?: string;
  context?: string;
}

/** Lists the objects the rules read from one namespace of a live cluster (src/kube, loaded on demand). */
export async function loadClusterObjects(src: ClusterSource): Promise<SourcedObject[]> {
  const { listNamespace } = await import('../kube/list-namespace.js');
  return (await listNamespace(src)).map((obj) => ({ obj }));
}
