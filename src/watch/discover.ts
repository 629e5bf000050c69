// Which of our resources the server serves, and in which version (API discovery, like kubectl).
import type { ApiClient } from './api.js';
import type { ResourceDef } from './resources.js';

export type Served = { def: ResourceDef; version: string };
export type Discovery =
  | { ok: true; served: Served[]; skipped: Array<{ def: ResourceDef; reason: string }> }
  | { ok: false; status: number; message: string };

async function hasResource(api: ApiClient, def: ResourceDef, version: string): Promise<boolean> {
  const res = await api.get(`/apis/${def.group}/${version}`);
  const list = res.ok ? (res.body as { resources?: Array<{ name?: string }> } | null) : undefined;
  return (list?.resources ?? []).some((r) => r?.name === def.resource);
}

export async function discover(api: ApiClient, defs: ResourceDef[]): Promise<Discovery> {
  const groups = await api.get('/apis');
  if (!groups.ok) return { ok: false, status: groups.status, message: groups.message };
  const versions = new Map<string, string[]>();
  const body = groups.body as { groups?: Array<{ name: string; versions?: Array<{ version: string }> }> } | null;
  for (const g of body?.groups ?? []) versions.set(g.name, (g.versions ?? []).map((v) => v.version));
  const served: Served[] = [];
  const skipped: Array<{ def: ResourceDef; reason: string }> = [];
  for (const def of defs) {
    const offered = def.group === '' ? ['v1'] : versions.get(def.group) ?? [];
    const version = def.versions.find((v) => offered.includes(v));
    if (version && (!def.optional || await hasResource(api, def, version))) served.push({ def, version });
    else if (def.optional) skipped.push({ def, reason: version ? `${def.group}/${version} does not serve ${def.resource}` : `${def.group} is not served by this cluster` });
    else skipped.push({ def, reason: `${def.group || 'core'}/${def.versions.join('|')} is not served by this cluster` });
  }
  return { ok: true, served, skipped };
}
