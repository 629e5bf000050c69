// Kubernetes and Gateway API path semantics as StringMatches.

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `Prefix` / `PathPrefix`: whole path elements, a trailing slash ignored. */
export function pathPrefixMatch(path: string): { kind: 'prefix' | 'regex'; value: string } {
  const p = path.replace(/\/+$/, '');
  if (p === '') return { kind: 'prefix', value: '/' };
  return { kind: 'regex', value: `^${escapeRegex(p)}(/|$)` };
}
