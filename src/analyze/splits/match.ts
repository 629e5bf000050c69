// Does the probe's request match a route's conditions? (headers, path, method; unknown keys: cannot tell)
import type { ProbeConfig } from '../../types.js';

export interface ProbeRequest {
  path: string;
  method: string;
  headers: Record<string, string>;
}

export function probeRequest(config: ProbeConfig): ProbeRequest {
  let path = '/';
  try {
    path = new URL(config.url).pathname || '/';
  } catch { /* keep "/" */ }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(config.headers)) headers[k.toLowerCase()] = v;
  return { path, method: config.method.toUpperCase(), headers };
}

function regexMatch(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return false;
  }
}

/** Istio StringMatch {exact|prefix|regex}. */
export function stringMatch(m: any, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (m?.exact !== undefined) return value === String(m.exact);
  if (m?.prefix !== undefined) return value.startsWith(String(m.prefix));
  if (m?.regex !== undefined) return regexMatch(String(m.regex), value);
  return true;
}

const VS_KNOWN = new Set(['name', 'headers', 'uri', 'method', 'ignoreUriCase']);

/** One VirtualService HTTPMatchRequest: true, false, or undefined when it tests what we cannot know. */
export function vsMatchEntry(m: any, req: ProbeRequest): boolean | undefined {
  if (!m || typeof m !== 'object') return true;
  if (Object.keys(m).some((k) => !VS_KNOWN.has(k))) return undefined;
  if (m.uri && !stringMatch(m.uri, req.path)) return false;
  if (m.method && !stringMatch(m.method, req.method)) return false;
  for (const [name, cond] of Object.entries(m.headers ?? {})) {
    if (!stringMatch(cond, req.headers[name.toLowerCase()])) return false;
  }
  return true;
}

/** Gateway API HTTPRouteMatch (path, headers, method). */
export function httpRouteMatch(m: any, req: ProbeRequest): boolean {
  const p = m?.path;
  if (p?.value !== undefined) {
    const v = String(p.value);
    if (p.type === 'Exact' && req.path !== v) return false;
    if (p.type === 'RegularExpression' && !regexMatch(v, req.path)) return false;
    if ((p.type ?? 'PathPrefix') === 'PathPrefix' && !(req.path === v || req.path.startsWith(v.endsWith('/') ? v : `${v}/`) || v === '/')) return false;
  }
  if (m?.method && m.method !== req.method) return false;
  for (const h of m?.headers ?? []) {
    const value = req.headers[String(h.name).toLowerCase()];
    if (value === undefined) return false;
    if (h.type === 'RegularExpression' ? !regexMatch(String(h.value), value) : value !== String(h.value)) return false;
  }
  return true;
}

/** Kruise step `matches: [{headers: [{type, name, value}]}]`: any entry whose headers all match. */
export function kruiseMatches(matches: any[], req: ProbeRequest): boolean {
  return matches.some((m) => (m?.headers ?? []).length > 0 && (m.headers as any[]).every((h) => {
    const value = req.headers[String(h.name).toLowerCase()];
    if (value === undefined) return false;
    return h.type === 'RegularExpression' ? regexMatch(String(h.value), value) : value === String(h.value);
  }));
}
