// eviction: a pod was evicted (Eviction API, a drain, preemption, the kubelet) and dropped requests as it went.
import type { ClusterEvent } from '../../types.js';
import type { KubeEvent, NodeEvent, PdbEvent, PodDisruption, PodEvent } from '../../watch/cluster-event.js';
import type { CauseRule } from './rule-input.js';
import { SLACK_MS, countOf, deletionOf, deletions, failuresIn, failuresText, hookWords, t, whileStopping } from './facts.js';

const EVICTED = new Set(['Evicted', 'Preempted', 'Preempting', 'TaintManagerEviction']);
/** Without a recorded delete, failures this long after the mark count. */
const AFTER_MS = 30_000;
/** A drain evicts (or deletes) a node's pods within this long of its cordon. */
const DRAIN_MS = 120_000;

const FIX = 'evictions (kubectl drain, node upgrades, cluster autoscaler) wait only for a PodDisruptionBudget: give the workload one (maxUnavailable: 1 with ≥ 2 replicas, or minAvailable) so a replacement is ready first, and make every pod stop cleanly (preStop sleep longer than endpoint propagation, drain on SIGTERM), since an evicted pod goes like a deleted one';
const FIX_WITH_PDB = 'the PodDisruptionBudget kept enough pods up, but an evicted pod still drops the requests it gets while it stops: make every pod stop cleanly (preStop sleep longer than endpoint propagation, drain on SIGTERM), as for a rollout; a drain evicts through the budget, so keep it (and enough replicas that it allows one disruption at a time)';

interface Mark { at: number; pod: string; why: string }

const isDisruption = (e: ClusterEvent): e is PodDisruption => e.kind === 'pod' && e.type === 'disruption';
const isEviction = (e: ClusterEvent): e is KubeEvent => e.kind === 'event' && EVICTED.has(e.type) && e.involvedKind !== 'Node';
const isCordon = (e: ClusterEvent): e is NodeEvent => e.kind === 'node' && (e.type === 'cordoned' || e.type === 'not-ready');

/** The node a pod ran on, from any of its events. */
const nodeOf = (events: ClusterEvent[], pod: string): string | undefined =>
  events.find((e): e is PodEvent => e.kind === 'pod' && e.name === pod && e.node !== null)?.node ?? undefined;

/** The node's cordon (or NotReady) that came before `at`, still in force (not undone since). */
function drainOf(events: ClusterEvent[], node: string | undefined, at: number): NodeEvent | undefined {
  if (!node) return undefined;
  const before = events.filter((e): e is NodeEvent => e.kind === 'node' && e.name === node && e.at <= at + SLACK_MS && e.at >= at - DRAIN_MS);
  const last = before.filter((e) => e.type !== 'taints').at(-1);
  return last && isCordon(last) ? last : undefined;
}

/** DisruptionTarget conditions, Evicted/Preempted events, and deletes of a pod whose node was being drained. */
function marks(events: ClusterEvent[]): Mark[] {
  const out: Mark[] = [];
  for (const e of events) {
    if (isDisruption(e)) {
      out.push({ at: e.at, pod: e.name, why: `its DisruptionTarget condition turned True (reason ${e.reason ?? '?'}${e.message ? `: ${e.message.slice(0, 120)}` : ''})` });
    } else if (isEviction(e)) {
      out.push({ at: e.at, pod: e.name, why: `the ${e.type} event said: ${e.message.slice(0, 160)}` });
    }
  }
  // `kubectl drain --disable-eviction` deletes instead of evicting: the cordon is what says it was a drain.
  for (const d of deletions(events)) {
    const cordon = drainOf(events, nodeOf(events, d.pod), d.at);
    if (cordon?.type === 'cordoned' && cordon.initial !== true && !out.some((m) => m.pod === d.pod)) {
      out.push({ at: d.at, pod: d.pod, why: 'it was deleted while its node was cordoned' });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

const nodeText = (e: NodeEvent): string => (e.type === 'cordoned'
  ? `its node ${e.name} was cordoned at ${t(e.at)} (spec.unschedulable${e.taints ? `; taints ${e.taints}` : ''}): a drain cordons the node, then evicts its pods`
  : `its node ${e.name} went NotReady at ${t(e.at)} (${e.reason ?? 'no reason'}${e.taints ? `; taints ${e.taints}` : ''}): pods of a lost node are evicted by the taint manager`);

/** What the PodDisruptionBudgets said around the eviction: whether one blocked (0 allowed) or let it through. */
function budgetText(events: ClusterEvent[], at: number): string[] {
  const pdbs = events.filter((e): e is PdbEvent => e.kind === 'pdb' && e.type === 'status' && e.at <= at + 60_000 && e.at >= at - DRAIN_MS);
  const names = [...new Set(pdbs.map((p) => p.name))];
  return names.slice(0, 2).map((name) => {
    const mine = pdbs.filter((p) => p.name === name);
    const atMark = mine.filter((p) => p.at <= at).at(-1) ?? mine[0]!;
    const blocked = mine.find((p) => p.disruptionsAllowed === 0 && (p.at > atMark.at || p === atMark));
    const head = `PodDisruptionBudget ${name} (${atMark.budget}) allowed ${atMark.disruptionsAllowed} disruption(s) at ${t(atMark.at)} (${atMark.currentHealthy} healthy, ${atMark.desiredHealthy} desired)`;
    return blocked ? `${head}; it allowed 0 from ${t(blocked.at)} (${blocked.currentHealthy} healthy of ${blocked.desiredHealthy} desired): further evictions of its pods were refused until a replacement was ready` : head;
  });
}

export const eviction: CauseRule = (inc, events) => {
  for (const m of marks(events)) {
    if (m.at > inc.end + SLACK_MS) continue;
    const d = deletionOf(events, m.pod);
    const hits = d ? whileStopping(inc, d) : failuresIn(inc, m.at - SLACK_MS, m.at + AFTER_MS);
    if (countOf(hits) === 0) continue;
    const node = nodeOf(events, m.pod);
    const drain = drainOf(events, node, m.at);
    const budget = budgetText(events, m.at);
    const others = marks(events).filter((x) => x.pod !== m.pod && nodeOf(events, x.pod) === node && drain && Math.abs(x.at - m.at) <= DRAIN_MS).length;
    return {
      id: 'eviction',
      evidence: [
        `pod ${m.pod} was evicted, not rolled: at ${t(m.at)} ${m.why}`,
        ...(drain ? [`${nodeText(drain)}${others ? `; ${others} more pod(s) of it went the same way` : ''}`] : []),
        d ? `its delete came at ${t(d.at)} (${hookWords(d)}, grace period ${d.graceS} s)` : 'no delete of it was recorded',
        ...budget,
        `${failuresText(hits, inc)} of ${inc.failed} were sent while it stopped`,
      ],
      fix: budget.length ? FIX_WITH_PDB : FIX,
    };
  }
  return undefined;
};
