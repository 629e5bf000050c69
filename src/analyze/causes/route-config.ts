// route-config: a route pointed at a missing subset/service, or had no fallback, while 503/404s piled up.
import type { ConfigSnapshot, Finding, KubeObject } from '../../types.js';
import type { RouteEvent } from '../../watch/cluster-event.js';
import { runRules } from '../rules/index.js';
import { routeTargets } from '../../watch/in-scope.js';
import type { CauseRule, IncidentInput } from './rule-input.js';
import { snapshotAt, t } from './facts.js';

const ROUTE_RULES = new Set(['vs-unknown-subset', 'vs-missing-fallback']);
const NO_ROUTE = new Set(['503', '404']);
/** The routing burst: at least this share of the failures are "no route" answers. */
export const BURST_SHARE = 0.5;

/** The snapshots in force at some moment of [start, end]. */
export function snapshotsDuring(snapshots: ConfigSnapshot[], start: number, end: number): ConfigSnapshot[] {
  const first = snapshotAt(snapshots, start);
  return snapshots.filter((s) => s === first || (s.at > start && s.at <= end));
}

function routeFindings(snaps: ConfigSnapshot[]): Array<{ f: Finding; at: number }> {
  const seen = new Set<string>();
  const out: Array<{ f: Finding; at: number }> = [];
  for (const s of snaps) {
    for (const f of runRules(s.objects.map((obj) => ({ obj })))) {
      const key = `${f.id} ${f.object}`;
      if (!ROUTE_RULES.has(f.id) || seen.has(key)) continue;
      seen.add(key);
      out.push({ f, at: s.at });
    }
  }
  return out;
}

/** Routes changed in the window whose target Service is absent from the config in force. */
function missingServices(changes: RouteEvent[], snaps: ConfigSnapshot[]): string[] {
  const out: string[] = [];
  for (const c of changes) {
    const snap = snaps.filter((s) => s.at <= c.at + 2000).at(-1);
    const route = snap?.objects.find((o) => o.kind === c.routeKind && o.metadata?.name === c.name);
    if (!snap || !route || route.kind === 'DestinationRule') continue;
    const services = new Set(snap.objects.filter((o: KubeObject) => o.kind === 'Service').map((o) => o.metadata?.name));
    for (const target of new Set(routeTargets(route))) {
      if (!services.has(target)) out.push(`${route.kind}/${c.name} sends traffic to service ${target}, which does not exist in the config in force at ${t(snap.at)}`);
    }
  }
  return out;
}

function burst(inc: IncidentInput): number {
  return Object.entries(inc.kinds).filter(([k]) => NO_ROUTE.has(k)).reduce((a, [, n]) => a + n, 0);
}

export const routeConfig: CauseRule = (inc, events, snapshots) => {
  const noRoute = burst(inc);
  if (noRoute === 0 || noRoute < BURST_SHARE * inc.failed) return undefined;
  const snaps = snapshotsDuring(snapshots, inc.start, inc.end);
  const found = routeFindings(snaps);
  const changes = events.filter((e): e is RouteEvent => e.kind === 'route' && e.at >= inc.start - 10_000 && e.at <= inc.end + 2000);
  const missing = missingServices(changes, snapshots);
  if (found.length === 0 && missing.length === 0) return undefined;
  // The watch's initial listing is the config as found, not a change: cite only real changes.
  const changed = changes.filter((c) => c.initial !== true);
  const evidence = [
    ...changed.slice(0, 3).map((c) => `${c.routeKind ?? 'route'} ${c.name} changed at ${t(c.at)}: ${c.routes.slice(0, 200)}`),
    ...found.map(({ f, at }) => `${f.object}: ${f.message} (config in force at ${t(at)})`),
    ...missing,
    `${noRoute} of ${inc.failed} failures were 503/404 answers: requests with nowhere to go`,
  ];
  const fixes = [...new Set(found.map(({ f }) => f.fix))];
  if (missing.length) fixes.push('create the Service (and its pods) before a route points at it; remove routes before the Service');
  return { id: 'route-config', evidence, fix: fixes.join('; ') };
};
