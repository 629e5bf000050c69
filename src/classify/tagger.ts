// Which app version (and instance) answered: from a header, a body regex or a JSON path.
import type { VersionSource } from '../types.js';
import { usage } from '../errors.js';

import type { Headers } from '../send/sender.js';

export interface Tagger {
  /** Whether the body is needed to tag this response (the sender then keeps up to the body cap). */
  wantsBody(headers: Headers): boolean;
  tag(headers: Headers, body: string): string | undefined;
}

const versionHeaders = ['x-app-version', 'x-version'];
// "Version 2 of my awesome app!" -> 2, "Hello version: v1" -> 1, "nginx v1.24.0" -> 1.24.0
const defaultBody = [/\bversion\b[\s:=]*v?(\d[\w.-]*\w|\d)/i, /\bv(\d+(?:\.\d+)+|\d+)\b/];

export function parseSource(spec: string, flag: string): VersionSource {
  const i = spec.indexOf(':');
  const kind = i < 0 ? spec : spec.slice(0, i);
  const arg = i < 0 ? '' : spec.slice(i + 1);
  if (kind === 'auto' && !arg) return { kind: 'auto' };
  if (kind === 'header' && arg) return { kind: 'header', name: arg.toLowerCase() };
  if (kind === 'json' && arg) return { kind: 'json', path: arg };
  if (kind === 'body' && arg) {
    compileRegex(arg, flag);
    return { kind: 'body', regex: arg };
  }
  throw usage(`${flag} "${spec}" is not valid: use body:<regex>, header:<name> or json:<path>`);
}

function compileRegex(src: string, flag: string): RegExp {
  try {
    return new RegExp(src);
  } catch (err) {
    throw usage(`${flag}: bad regex "${src}" (${(err as Error).message}); escape special characters or quote the argument`);
  }
}

export function makeTagger(source: VersionSource): Tagger {
  switch (source.kind) {
    case 'header':
      return { wantsBody: () => false, tag: (h) => headerValue(h, source.name) };
    case 'body': {
      const re = compileRegex(source.regex, '--version-from');
      return { wantsBody: () => true, tag: (_h, body) => firstGroup(re, body) };
    }
    case 'json':
      return { wantsBody: () => true, tag: (_h, body) => jsonPath(body, source.path) };
    case 'auto':
      return {
        wantsBody: (h) => !versionHeaders.some((n) => headerValue(h, n)),
        tag: (h, body) => firstOf(versionHeaders, (n) => headerValue(h, n)) ?? firstOf(defaultBody, (re) => firstGroup(re, body)),
      };
  }
}

/** The first non-empty result, without building arrays on the per-response path. */
function firstOf<T>(items: readonly T[], get: (item: T) => string | undefined): string | undefined {
  for (const item of items) {
    const v = get(item);
    if (v) return v;
  }
  return undefined;
}

function headerValue(h: Headers, name: string): string | undefined {
  const v = h[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s ? s.trim() : undefined;
}

function firstGroup(re: RegExp, body: string): string | undefined {
  const m = re.exec(body);
  if (!m) return undefined;
  return (m[1] ?? m[0]).trim() || undefined;
}

function jsonPath(body: string, path: string): string | undefined {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return undefined;
  }
  for (const key of path.replace(/^\$?\.?/, '').split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}
