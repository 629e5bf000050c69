// `kubectl-kruise rollout approve` as a function: a JSON merge patch of the Rollout's status
// subresource, {"status":{"canaryStatus":{"currentStepState":"StepReady"}}}, allowed only while
// the current step waits for an approval (StepPaused).
import type { KubeConfig } from '@kubernetes/client-node';
import { ZdError } from '../../errors.js';
import { ROLLOUT, makeClients, mergePatch } from './kube.js';
import type { Rollout } from './kruise-types.js';

export const APPROVE_PATCH = { status: { canaryStatus: { currentStepState: 'StepReady' } } } as const;

export async function approveRollout(kubeconfig: string | KubeConfig, namespace: string, name: string): Promise<void> {
  const { custom } = makeClients(kubeconfig);
  const rollout = (await custom.getNamespacedCustomObject({ ...ROLLOUT, namespace, name })) as Rollout;
  const state = rollout.status?.canaryStatus?.currentStepState;
  if (state !== 'StepPaused') {
    throw new ZdError('input', `rollout ${namespace}/${name} is not waiting for an approval (step state ${state ?? 'none'})`);
  }
  await custom.patchNamespacedCustomObjectStatus({ ...ROLLOUT, namespace, name, body: APPROVE_PATCH }, mergePatch);
}
