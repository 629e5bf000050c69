// The parts of a rollouts.kruise.io/v1beta1 Rollout this controller reads and writes.
import type { V1ObjectMeta } from '@kubernetes/client-node';
import type { KubeObject } from '../../kube/object.js';
import type { HeaderMatch } from '../../kube/route-objects.js';

export type { HeaderMatch } from '../../kube/route-objects.js';

export interface RolloutStep {
  traffic?: string;
  replicas?: number | string;
  matches?: Array<{ headers?: HeaderMatch[] }>;
  /** {} (or absent) waits for an approval; {duration: s} waits that long. */
  pause?: { duration?: number };
}

export interface NetworkRef {
  apiVersion: string;
  kind: string;
  name: string;
}

export interface TrafficRouting {
  service: string;
  gracePeriodSeconds?: number;
  customNetworkRefs?: NetworkRef[];
  networkRefs?: NetworkRef[];
}

export type StepState = 'StepUpgrade' | 'StepTrafficRouting' | 'StepPaused' | 'StepReady' | 'Completed';
export type FinalisingStep = 'RestoreStableService' | 'ReleaseWorkload' | 'RestoreGateway' | 'DeleteCanary';

export interface CanaryStatus {
  observedWorkloadGeneration?: number;
  canaryRevision: string;
  stableRevision?: string;
  podTemplateHash?: string;
  canaryReplicas?: number;
  canaryReadyReplicas?: number;
  currentStepIndex: number;
  currentStepState: StepState;
  message?: string;
  lastUpdateTime?: string;
  finalisingStep?: FinalisingStep;
}

export interface RolloutCondition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
}

export interface RolloutStatus {
  observedGeneration?: number;
  phase?: 'Initial' | 'Healthy' | 'Progressing';
  message?: string;
  stableRevision?: string;
  currentStepIndex?: number;
  currentStepState?: StepState;
  canaryStatus?: CanaryStatus;
  conditions?: RolloutCondition[];
}

interface RolloutSpec {
  workloadRef?: { apiVersion?: string; kind?: string; name: string };
  strategy?: { canary?: { steps?: RolloutStep[]; trafficRoutings?: TrafficRouting[] } };
}

/** The controller's stricter view (client-node informers give Date times) of src/kube's Rollout. */
export interface Rollout extends KubeObject<RolloutSpec, RolloutStatus> {
  metadata?: V1ObjectMeta;
}
