// The live listing shared by the watcher (its list before each watch) and lint --from-cluster.
import type { ApiClient } from './api.js';
import type { KubeObject } from './object.js';

export interface ListTarget {
  /** Collection path, e.g. /apis/apps/v1/namespaces/shop/deployments. */
  path: string;
  query?: Record<string, string>;
  /** Filled into items, which a list response leaves without kind and apiVersion. */
  apiVersion: string;
  kind: string;
}

export type Listed =
  | { ok: true; items: KubeObject[]; resourceVersion: string }
  | { ok: false; status: number; message: string };

export function collectionPath(group: string, version: string, resource: string, namespace: string): string {
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  return `${base}/namespaces/${encodeURIComponent(namespace)}/${resource}`;
}

export function listUrl(target: ListTarget, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({ ...target.query, ...extra }).toString();
  return q ? `${target.path}?${q}` : target.path;
}

const isObject = (v: unknown): v is KubeObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An item with kind and apiVersion set (one that names its own kind is kept as it is). */
export const typedItem = (target: ListTarget, o: KubeObject): KubeObject =>
  (o.kind ? o : { ...o, kind: target.kind, apiVersion: target.apiVersion });

export function typedItems(target: ListTarget, items: unknown): KubeObject[] {
  return Array.isArray(items) ? items.filter(isObject).map((o) => typedItem(target, o)) : [];
}

interface ListBody {
  items?: unknown;
  metadata?: { resourceVersion?: string };
}

/** One list call; failures come back as data (status 0: no answer), never thrown. */
export async function listObjects(api: ApiClient, target: ListTarget, signal?: AbortSignal): Promise<Listed> {
  const res = await api.get(listUrl(target), signal);
  if (!res.ok) return res;
  const body = (isObject(res.body) ? res.body : {}) as ListBody;
  return { ok: true, items: typedItems(target, body.items), resourceVersion: body.metadata?.resourceVersion ?? '0' };
}
