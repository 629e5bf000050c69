// Node transitions that explain a drain or a lost node: cordon, Ready, taints. Heartbeats say nothing here.
import type { ClusterEvent, KubeObject } from '../types.js';
import type { EventFields, NodeEvent } from './cluster-event.js';
import { clusterEvent, serverTime } from './event.js';

type Taint = { key?: string; value?: string; effect?: string };
type Cond = { type?: string; status?: string; reason?: string; lastTransitionTime?: string };

const readyCond = (n: KubeObject | undefined): Cond | undefined => ((n?.status?.conditions ?? []) as Cond[]).find((c) => c.type === 'Ready');

function state(n: KubeObject): Omit<EventFields<NodeEvent>, 'kind' | 'type'> {
  const c = readyCond(n);
  const taints = ((n.spec?.taints ?? []) as Taint[]).map((t) => `${t.key ?? ''}${t.value ? `=${t.value}` : ''}:${t.effect ?? ''}`).sort().join(',');
  return { unschedulable: n.spec?.unschedulable === true, ready: c?.status === 'True' ? true : c?.status === 'False' ? false : null, reason: c?.reason ?? null, taints };
}

/** What changed between two observations; a node first seen reports only what is out of the ordinary. */
function changes(old: ReturnType<typeof state> | undefined, cur: ReturnType<typeof state>): NodeEvent['type'][] {
  const out: NodeEvent['type'][] = [];
  if (cur.unschedulable !== (old?.unschedulable ?? false)) out.push(cur.unschedulable ? 'cordoned' : 'uncordoned');
  if (old ? cur.ready !== old.ready : cur.ready !== true) out.push(cur.ready === true ? 'ready' : 'not-ready');
  if (cur.taints !== (old?.taints ?? '')) out.push('taints');
  return out;
}

export function diffNode(old: KubeObject | undefined, cur: KubeObject | undefined, at: number): ClusterEvent[] {
  if (!cur) return [];
  const now = state(cur);
  const when = serverTime(readyCond(cur)?.lastTransitionTime);
  return changes(old ? state(old) : undefined, now).map((type) =>
    clusterEvent(at, cur, { kind: 'node', type, ...now }, type === 'ready' || type === 'not-ready' ? when : undefined));
}
