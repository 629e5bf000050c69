// One VirtualHost -> nginx `map`/`split_clients` blocks and a `server` block.
// Route choice (first match wins) is a map over a string of condition bits: each URI or
// header condition is its own map yielding 1/0, and each route match is a regex over its
// slice of the bits, in route order (nginx maps try regexes in order of appearance).
import { answerFor, dialectOf } from './dialect.js';
import type { BackendRef, Rewrite, Route, RouteMatch, RoutingModel, StringMatch, VirtualHost } from './model.js';

/** An nginx double-quoted string: nginx turns `\\` into `\` and `\"` into `"`. */
export const q = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

// Every condition becomes a regex key, so no exact key can collide with `default` & co.
function regexKey(m: StringMatch): string {
  const re = m.kind === 'exact' ? `^${esc(m.value)}$` : m.kind === 'prefix' ? `^${esc(m.value)}` : m.value;
  return `${m.ignoreCase ? '~*' : '~'}${re}`;
}

const headerVar = (name: string): string => `$http_${name.toLowerCase().replace(/-/g, '_')}`;

// A destination without ready endpoints (or without a cluster at all) answers 503, as
// ingress-nginx does for a Service with no endpoints and Envoy does for "no healthy upstream"
// and "cluster not found"; `__503` is turned into `return 503` by the server block.
function backendValue(b: BackendRef, model: RoutingModel): string {
  if ('status' in b) return `__${b.status}`;
  return (model.upstreams[b.upstream]?.endpoints.length ?? 0) > 0 ? b.upstream : '__503';
}

function splitBlock(name: string, route: Route, model: RoutingModel): { block: string; value: string } {
  const live = route.backends.filter((b) => b.weight > 0);
  const total = live.reduce((s, b) => s + b.weight, 0);
  if (live.length === 0) return { block: '', value: '__503' };
  if (live.length === 1) return { block: '', value: backendValue(live[0]!.backend, model) };
  // split_clients takes at most two decimals; the last backend takes the remainder.
  const lines = live.map((b, i) => i === live.length - 1
    ? `    * ${backendValue(b.backend, model)};`
    : `    ${Math.floor((b.weight / total) * 10000) / 100}% ${backendValue(b.backend, model)};`);
  return { block: `  split_clients "\${request_id}" $${name} {\n${lines.join('\n')}\n  }\n`, value: `$${name}` };
}

function rewriteKey(id: string, rw: Rewrite): { key: string; value: string } {
  if (rw.kind === 'full') return { key: `~^${id}:`, value: rw.to };
  if (rw.kind === 'prefix') {
    const slash = rw.to.endsWith('/') ? '/?' : '';
    return { key: `~^${id}:${esc(rw.prefix)}${slash}(.*)$`, value: `${rw.to}$1` };
  }
  // nginx `rewrite` searches unanchored; keep that, and keep the user's capture numbers.
  const re = rw.pattern.startsWith('^') ? rw.pattern.slice(1) : `.*?(?:${rw.pattern})`;
  return { key: `${rw.ignoreCase ? '~*' : '~'}^${id}:${re}`, value: rw.replacement };
}

// An Envoy-served route answers a refused or reset upstream with 503, not nginx's 502 (error_page
// sees only nginx's own errors, not an upstream's 502). nginx cannot tell a connect failure from a
// reset, so the body is the connect failure's.
function envoyErrors(v: VirtualHost): string {
  if (dialectOf(v.routes[0]) === 'ingress-nginx') return '\n    }';
  const a = answerFor('envoy', 'connect-failure');
  return `\n      error_page 502 = @zd_envoy_503;\n    }\n    location @zd_envoy_503 {\n      default_type text/plain;\n      return ${a.status} ${q(a.body)};\n    }`;
}

interface Rendered {
  http: string;
  server: string;
}

export function renderVhost(v: VirtualHost, i: number, model: RoutingModel, listen: string): Rendered {
  const p = `zd_${i}`;
  const conds: string[] = [];
  const routeKeys: string[] = [];
  const addCond = (variable: string, m: StringMatch): void => {
    conds.push(`  map ${variable} $${p}_c${conds.length} {\n    ${q(regexKey(m))} 1;\n    default 0;\n  }\n`);
  };
  v.routes.forEach((r, ri) => {
    const ms: RouteMatch[] = r.matches.length === 0 ? [{ headers: [] }] : r.matches;
    for (const m of ms) {
      const offset = conds.length;
      if (m.uri !== undefined) addCond('$uri', m.uri);
      for (const h of m.headers) addCond(headerVar(h.name), h.match);
      const len = conds.length - offset;
      routeKeys.push(`    ${q(`~^.{${offset}}1{${len}}`)} r${ri};`);
    }
  });
  const bits = conds.map((_, c) => `$${p}_c${c}`).join('') || 'x';
  const splits = v.routes.map((r, ri) => splitBlock(`${p}_r${ri}_split`, r, model));
  const backends = splits.map((s, ri) => `    r${ri} ${s.value};`);
  const rewrites = v.routes.flatMap((r, ri) => r.rewrite === undefined ? [] : [rewriteKey(`r${ri}`, r.rewrite)]);
  let http = conds.join('');
  http += `  map ${q(bits)} $${p}_route {\n${routeKeys.join('\n')}\n    default "";\n  }\n`;
  http += splits.map((s) => s.block).join('');
  http += `  map $${p}_route $${p}_backend {\n${backends.join('\n')}\n    default __404;\n  }\n`;
  let pass = 'http://$zd_backend';
  if (rewrites.length > 0) {
    const lines = rewrites.map((w) => `    ${q(w.key)} ${q(`${w.value}$is_args$args`)};`);
    http += `  map "$${p}_route:$uri" $${p}_uri {\n${lines.join('\n')}\n    default $request_uri;\n  }\n`;
    pass += `$${p}_uri`;
  }
  const names = v.hosts.length === 0 ? `listen ${listen} default_server;\n    server_name _;` : `listen ${listen};\n    server_name ${v.hosts.join(' ')};`;
  const server = `  # ${v.source}
  server {
    ${names}
    set $zd_backend $${p}_backend;
    # Every route has matches and none held: 404, like Envoy's "route not found".
    if ($zd_backend = __404) { return 404; }
    if ($zd_backend = __503) { return 503; }
    if ($zd_backend = __500) { return 500; }
    location / {
      proxy_pass ${pass};${envoyErrors(v)}
  }
`;
  return { http, server };
}
