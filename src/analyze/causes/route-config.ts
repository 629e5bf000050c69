// route-config: a route pointed at a missing subset/service, or had no fallback, while 503/404s piled up.
import type { ConfigSnapshot, Finding, KubeObject } from '../../types.js';
import type { RouteEvent } from '../../watch/cluster-event.js';
import { runRules } from '../rules/index.js';
import { routeTargets } from '../../watch/in-scope.js';
import type { CauseRule, IncidentInput } from './rule-input.js';
import { snapshotAt, t } from './facts.js';

/** The status each route mistake answers with: Envoy 404 (NR) for no matching route, 503 for an unknown subset. */
const ROUTE_RULES: ReadonlyMap<string, string> = new Map([['vs-unknown-subset', '503'], ['vs-missing-fallback', '404']]);
/** A route to a missing Service: Gateway API requires 500 for an invalid backendRef; Envoy and nginx answer 503. */
const missingStatus = (routeKind: string | null): string => (routeKind === 'HTTPRoute' ? '500' : '503');
/** The routing burst: at least this share of the failures are "no route" answers. */
export const BURST_SHARE = 0.5;

/** The snapshots in force at some moment of [start, end]. */
export function snapshotsDuring(snapshots: ConfigSnapshot[], start: number, end: number): ConfigSnapshot[] {
  const first = snapshotAt(snapshots, start);
  return snapshots.filter((s) => s === first || (s.at > start && s.at <= end));
}

/** A route or subset change this long before an incident may explain it (as for route events). */
const CHANGE_WINDOW_MS = 10_000;

interface InForce {
  f: Finding;
  /** When the config that has it came into force (the snapshot after one without it). */
  since: number;
  /** The first snapshot of the run had it: the config as found. */
  asFound: boolean;
}

function findingsOf(s: ConfigSnapshot): Map<string, Finding> {
  const out = new Map<string, Finding>();
  for (const f of runRules(s.objects.map((obj) => ({ obj })))) if (ROUTE_RULES.has(f.id)) out.set(`${f.id} ${f.object}`, f);
  return out;
}

/** The route mistakes in force at some moment of [start, end], each with when it came into force. */
function routeFindings(snapshots: ConfigSnapshot[], start: number, end: number): InForce[] {
  const during = new Set(snapshotsDuring(snapshots, start, end));
  const ordered = [...snapshots].filter((s) => s.at <= end || during.has(s)).sort((a, b) => a.at - b.at);
  const since = new Map<string, number>();
  const out = new Map<string, InForce>();
  ordered.forEach((s) => {
    const now = findingsOf(s);
    for (const k of [...since.keys()]) if (!now.has(k)) since.delete(k);
    for (const [k, f] of now) {
      if (!since.has(k)) since.set(k, s.at);
      if (during.has(s) && !out.has(k)) out.set(k, { f, since: since.get(k)!, asFound: since.get(k) === ordered[0]!.at });
    }
  });
  return [...out.values()];
}

/**
 * A mistake explains an incident only when it came into force shortly before or during it, or was
 * in the config as found and the failures began with the run: a route that had been wrong, and
 * harmless, for longer does not explain a new burst (Envoy answers a rollout's cut requests with
 * 503 too, the status an unknown subset gives).
 */
const recent = (x: InForce, inc: IncidentInput): boolean =>
  x.since >= inc.start - CHANGE_WINDOW_MS || (x.asFound && inc.start - x.since <= CHANGE_WINDOW_MS);

/** Routes changed in the window whose target Service is absent from the config in force, with the status they answer. */
function missingServices(changes: RouteEvent[], snaps: ConfigSnapshot[]): Array<{ text: string; status: string }> {
  const out: Array<{ text: string; status: string }> = [];
  for (const c of changes) {
    const snap = snaps.filter((s) => s.at <= c.at + 2000).at(-1);
    const route = snap?.objects.find((o) => o.kind === c.routeKind && o.metadata?.name === c.name);
    if (!snap || !route || route.kind === 'DestinationRule') continue;
    const services = new Set(snap.objects.filter((o: KubeObject) => o.kind === 'Service').map((o) => o.metadata?.name));
    for (const target of new Set(routeTargets(route))) {
      if (!services.has(target)) out.push({ text: `${route.kind}/${c.name} sends traffic to service ${target}, which does not exist in the config in force at ${t(snap.at)}`, status: missingStatus(route.kind ?? null) });
    }
  }
  return out;
}

function burst(inc: IncidentInput, statuses: Set<string>): number {
  return Object.entries(inc.kinds).filter(([k]) => statuses.has(k)).reduce((a, [, n]) => a + n, 0);
}

/** Only a mistake whose own status makes up the burst explains it: 404 for no fallback, 503 for a subset, 500 for an HTTPRoute. */
export const routeConfig: CauseRule = (inc, events, snapshots) => {
  const changes = events.filter((e): e is RouteEvent => e.kind === 'route' && e.at >= inc.start - CHANGE_WINDOW_MS && e.at <= inc.end + 2000);
  const explains = (status: string): boolean => (inc.kinds[status] ?? 0) > 0;
  const found = routeFindings(snapshots, inc.start, inc.end).filter((x) => recent(x, inc) && explains(ROUTE_RULES.get(x.f.id)!));
  const missing = missingServices(changes, snapshots).filter((m) => explains(m.status));
  const statuses = new Set([...found.map(({ f }) => ROUTE_RULES.get(f.id)!), ...missing.map((m) => m.status)]);
  const noRoute = burst(inc, statuses);
  if (statuses.size === 0 || noRoute < BURST_SHARE * inc.failed) return undefined;
  // The watch's initial listing is the config as found, not a change: cite only real changes.
  const changed = changes.filter((c) => c.initial !== true);
  const evidence = [
    ...changed.slice(0, 3).map((c) => `${c.routeKind ?? 'route'} ${c.name} changed at ${t(c.at)}: ${c.routes.slice(0, 200)}`),
    ...found.map(({ f, since }) => `${f.object}: ${f.message} (config in force since ${t(since)})`),
    ...missing.map((m) => m.text),
    `${noRoute} of ${inc.failed} failures were ${[...statuses].sort().join('/')} answers, the status that mistake gives: requests with nowhere to go`,
  ];
  const fixes = [...new Set(found.map(({ f }) => f.fix))];
  if (missing.length) fixes.push('create the Service (and its pods) before a route points at it; remove routes before the Service');
  return { id: 'route-config', evidence, fix: fixes.join('; ') };
};
