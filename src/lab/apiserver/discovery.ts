// Legacy discovery documents (/api, /apis, /apis/<g>/<v>), which kubectl and client-go fall back to.

import { RESOURCES, apiVersionOf, groups, verbsOf, type ResourceDef } from './resources.js';

export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-zdprobe-lab',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

function groupVersion(name: string, version: string): { groupVersion: string; version: string } {
  return { groupVersion: `${name}/${version}`, version };
}

export function apiVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(name: string, versions: string[]): unknown {
  const all = versions.map((v) => groupVersion(name, v));
  return { name, versions: all, preferredVersion: all[0] };
}

export function apiGroupList(): unknown {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups().map((g) => apiGroup(g.name, g.versions)),
  };
}

export function apiGroupDoc(name: string): unknown | undefined {
  const g = groups().find((x) => x.name === name);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...(apiGroup(g.name, g.versions) as object) } : undefined;
}

function entries(def: ResourceDef): unknown[] {
  const main = {
    name: def.resource,
    singularName: def.singular,
    namespaced: def.namespaced,
    kind: def.kind,
    verbs: verbsOf(),
    ...(def.shortNames.length ? { shortNames: def.shortNames } : {}),
    ...(def.categories ? { categories: def.categories } : {}),
    storageVersionHash: Buffer.from(`${def.group}/${def.resource}`).toString('base64').slice(0, 11),
  };
  const subs = def.subresources.map((sub) => ({
    name: `${def.resource}/${sub}`,
    singularName: '',
    namespaced: def.namespaced,
    kind: sub === 'scale' ? 'Scale' : sub === 'binding' ? 'Binding' : sub === 'eviction' ? 'Eviction' : def.kind,
    ...(sub === 'scale' ? { group: 'autoscaling', version: 'v1' } : {}),
    ...(sub === 'eviction' ? { group: 'policy', version: 'v1' } : {}),
    verbs: verbsOf(sub),
  }));
  return [main, ...subs];
}

/** APIResourceList for one group/version, or undefined when this server does not serve it. */
export function resourceList(group: string, version: string): unknown | undefined {
  const defs = RESOURCES.filter((r) => r.group === group && r.versions.includes(version));
  if (defs.length === 0) return undefined;
  const resources = defs.flatMap(entries);
  if (group === '') {
    resources.push({ name: 'bindings', singularName: 'binding', namespaced: true, kind: 'Binding', verbs: ['create'] });
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(group, version), resources };
}
