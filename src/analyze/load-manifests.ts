// Manifests in, SourcedObjects out: multi-document YAML or JSON files, directories of them,
// stdin (`-`, for Helm or kustomize output), or the live objects of one namespace.
import { readdir, readFile, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
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

/** What to list, newest API version first; a group the server does not serve is skipped. */
const RESOURCES: Array<{ group: string; versions: string[]; plural: string; kind: string }> = [
  { group: 'apps', versions: ['v1'], plural: 'deployments', kind: 'Deployment' },
  { group: 'apps', versions: ['v1'], plural: 'statefulsets', kind: 'StatefulSet' },
  { group: 'apps', versions: ['v1'], plural: 'daemonsets', kind: 'DaemonSet' },
  { group: 'networking.k8s.io', versions: ['v1'], plural: 'ingresses', kind: 'Ingress' },
  { group: 'networking.istio.io', versions: ['v1', 'v1beta1', 'v1alpha3'], plural: 'virtualservices', kind: 'VirtualService' },
  { group: 'networking.istio.io', versions: ['v1', 'v1beta1', 'v1alpha3'], plural: 'destinationrules', kind: 'DestinationRule' },
  { group: 'gateway.networking.k8s.io', versions: ['v1', 'v1beta1'], plural: 'httproutes', kind: 'HTTPRoute' },
  { group: 'rollouts.kruise.io', versions: ['v1beta1', 'v1alpha1'], plural: 'rollouts', kind: 'Rollout' },
  { group: 'argoproj.io', versions: ['v1alpha1'], plural: 'rollouts', kind: 'Rollout' },
  { group: 'apps.kruise.io', versions: ['v1alpha1'], plural: 'clonesets', kind: 'CloneSet' },
];

type K8s = typeof import('@kubernetes/client-node');

async function kubeConfig(k8s: K8s, src: ClusterSource): Promise<InstanceType<K8s['KubeConfig']>> {
  const kc = new k8s.KubeConfig();
  const file = src.kubeconfig ?? (process.env['KUBECONFIG']?.split(delimiter)[0] || undefined);
  const home = join(process.env['HOME'] ?? '', '.kube', 'config');
  const candidate = file ?? home;
  const exists = await stat(candidate).then(() => true, () => false);
  if (!exists && (file !== undefined || !process.env['KUBERNETES_SERVICE_HOST'])) {
    throw new ZdError('unreachable', `no kubeconfig at ${candidate} (pass --kubeconfig or set KUBECONFIG)`);
  }
  try {
    if (src.kubeconfig) kc.loadFromFile(src.kubeconfig);
    else kc.loadFromDefault();
    if (src.context) kc.setCurrentContext(src.context);
  } catch (err) {
    throw new ZdError('unreachable', `cannot load kubeconfig ${candidate}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (src.context && !kc.getContextObject(src.context)) throw new ZdError('unreachable', `no context "${src.context}" in ${candidate}`);
  return kc;
}

const httpCode = (err: unknown): number | undefined =>
  typeof (err as { code?: unknown })?.code === 'number' ? (err as { code: number }).code : undefined;

function unreachable(what: string, err: unknown): ZdError {
  const code = httpCode(err);
  const why = code !== undefined ? `HTTP ${code}` : (err as Error)?.message?.split('\n')[0] ?? String(err);
  return new ZdError('unreachable', `cannot list ${what}: ${why}`);
}

async function listResource(api: any, ns: string, r: (typeof RESOURCES)[number]): Promise<SourcedObject[]> {
  for (const version of r.versions) {
    try {
      const list = await api.listNamespacedCustomObject({ group: r.group, version, namespace: ns, plural: r.plural });
      const items: unknown[] = Array.isArray(list?.items) ? list.items : [];
      // built-in list items carry no kind; the rules need it
      return items.filter(isObject).map((o) => ({ obj: { apiVersion: `${r.group}/${version}`, kind: r.kind, ...o } }));
    } catch (err) {
      if (httpCode(err) !== 404) throw unreachable(`${r.plural}.${r.group} in ${ns}`, err);
    }
  }
  return [];
}

async function listServices(core: any, ns: string): Promise<SourcedObject[]> {
  try {
    const list = await core.listNamespacedService({ namespace: ns });
    const items = JSON.parse(JSON.stringify(list?.items ?? [])) as unknown[];
    return items.filter(isObject).map((o) => ({ obj: { ...o, apiVersion: 'v1', kind: 'Service' } }));
  } catch (err) {
    throw unreachable(`services in ${ns}`, err);
  }
}

/** Lists the objects the rules read from one namespace of a live cluster. */
export async function loadClusterObjects(src: ClusterSource): Promise<SourcedObject[]> {
  const k8s = await import('@kubernetes/client-node');
  const kc = await kubeConfig(k8s, src);
  const ns = src.namespace ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const lists = await Promise.all([listServices(core, ns), ...RESOURCES.map((r) => listResource(custom, ns, r))]);
  return lists.flat();
}
