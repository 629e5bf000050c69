// Which of our resources the server serves, and in which version (API discovery, like kubectl).
import type { ApiClient } from '../kube/api.js';
import type { ResourceDef } from './resources.js';

export type Served = { def: ResourceDef; version: string };
export type Discovery =
  | { ok: true; served: Served[]; skipped: Array<{ def: ResourceDef; reason: string }> }
  | { ok: false; status: number; message: string };

interface ResourceList { resources?: Array<{ name?: string }> }
interface GroupList { groups?: Array<{ name: string; versions?: Array<{ version: string }> }> }

async function hasResource(api: ApiClient, def: ResourceDef, version: string): Promise<boolean> {
  const res = await api.get(def.group ? `/apis/${def.group}/${version}` : `/api/${version}`);
  return res.ok && ((res.body as ResourceList | null)?.resources ?? []).some((r) => r?.name === def.resource);
}

export async function discover(api: ApiClient, defs: ResourceDef[]): Promise<Discovery> {
  const groups = await api.get('/apis');
  if (!groups.ok) return { ok: false, status: groups.status, message: groups.message };
  const versions = new Map<string, string[]>();
  for (const g of (groups.body as GroupList | null)?.groups ?? []) versions.set(g.name, (g.versions ?? []).map((v) => v.version));
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
