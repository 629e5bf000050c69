// The events of a node drain beside the pod's own: its Node (cordon, Ready, taints) and the
// PodDisruptionBudget that paces evictions. Part of the ClusterEvent union (cluster-event.ts).
import type { EventBase } from './cluster-event.js';

/** A Node the watched pods run on was cordoned, uncordoned, turned (not) Ready, or its taints changed; fields after the change. */
export interface NodeEvent extends EventBase {
  kind: 'node';
  type: 'cordoned' | 'uncordoned' | 'ready' | 'not-ready' | 'taints';
  /** spec.unschedulable: set by `kubectl cordon` and `kubectl drain`. */
  unschedulable: boolean;
  /** The Ready condition: true, false, or null when Unknown or absent. */
  ready: boolean | null;
  /** The Ready condition's reason (KubeletReady, NodeStatusUnknown...). */
  reason: string | null;
  /** "node.kubernetes.io/unschedulable:NoSchedule,..." sorted; empty when none. */
  taints: string;
}

/** A PodDisruptionBudget's status changed: how many evictions it allows now. */
export interface PdbEvent extends EventBase {
  kind: 'pdb';
  type: 'status' | 'deleted';
  /** "minAvailable 1", "maxUnavailable 25%". */
  budget: string;
  /** The pod selector, "app=web". */
  selector: string;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
}
