// PodDisruptionBudget status: how many voluntary evictions (kubectl drain, the autoscaler) it allows right now.
import type { ClusterEvent, KubeObject } from '../types.js';
import type { EventFields, PdbEvent } from './cluster-event.js';
import { clusterEvent } from './event.js';
import { fromLabelSelector, selectorString } from '../kube/selector.js';

type Fields = Omit<EventFields<PdbEvent>, 'kind' | 'type'>;

function fields(p: KubeObject): Fields {
  const spec = p.spec ?? {};
  const st = p.status ?? {};
  const budget = spec.minAvailable !== undefined ? `minAvailable ${spec.minAvailable}` : spec.maxUnavailable !== undefined ? `maxUnavailable ${spec.maxUnavailable}` : 'none';
  return {
    budget, selector: selectorString(fromLabelSelector(spec.selector)),
    disruptionsAllowed: st.disruptionsAllowed ?? 0, currentHealthy: st.currentHealthy ?? 0,
    desiredHealthy: st.desiredHealthy ?? 0, expectedPods: st.expectedPods ?? 0,
  };
}

export function diffPdb(old: KubeObject | undefined, cur: KubeObject | undefined, at: number): ClusterEvent[] {
  if (!cur) return old ? [clusterEvent(at, old, { kind: 'pdb', type: 'deleted', ...fields(old) })] : [];
  const now = fields(cur);
  if (old && JSON.stringify(fields(old)) === JSON.stringify(now)) return [];
  return [clusterEvent(at, cur, { kind: 'pdb', type: 'status', ...now })];
}
