// URL paths of the Kubernetes API -> which resource, namespace, name and subresource.

import { findResource, type ResourceDef } from './resources.js';

export interface ResourceRoute {
  def: ResourceDef;
  group: string;
  version: string;
  /** Set for namespaced requests; undefined means cluster-scoped or all namespaces. */
  namespace: string | undefined;
  name: string | undefined;
  sub: string | undefined;
  /** The legacy /watch/ path prefix. */
  watch: boolean;
}

export type Route =
  | { kind: 'resource'; route: ResourceRoute }
  | { kind: 'discovery'; group: string; version: string | undefined }
  | { kind: 'bindings'; group: string; version: string; namespace: string }
  | { kind: 'unknown' };

function splitPath(pathname: string): string[] {
  return pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
}

/** The group/version prefix: /api/v1/... or /apis/<group>/<version>/... */
function groupVersion(parts: string[]): { group: string; version: string | undefined; rest: string[] } | undefined {
  if (parts[0] === 'api') return { group: '', version: parts[1], rest: parts.slice(2) };
  if (parts[0] === 'apis' && parts[1] !== undefined) return { group: parts[1], version: parts[2], rest: parts.slice(3) };
  return undefined;
}

export function parseRoute(pathname: string): Route {
  const gv = groupVersion(splitPath(pathname));
  if (!gv) return { kind: 'unknown' };
  const { group, version } = gv;
  let rest = gv.rest;
  if (version === undefined || rest.length === 0) return { kind: 'discovery', group, version };
  const watch = rest[0] === 'watch';
  if (watch) rest = rest.slice(1);
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    if (group === '' && rest[2] === 'bindings' && rest[1] !== undefined) {
      return { kind: 'bindings', group, version, namespace: rest[1] };
    }
    const nsDef = findResource(group, version, rest[2] ?? '');
    if (nsDef?.namespaced) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
  }
  const def = findResource(group, version, rest[0] ?? '');
  if (!def || rest.length > 3) return { kind: 'unknown' };
  if (def.namespaced === false) namespace = undefined;
  return { kind: 'resource', route: { def, group, version, namespace, name: rest[1], sub: rest[2], watch } };
}
