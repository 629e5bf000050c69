// Canary steps of Kruise and Argo Rollouts: declared traffic should only go up.
import type { Finding, SourcedObject } from '../../types.js';
import { finding, type Rule } from './rule.js';
import { isKruiseRollout } from './index-objects.js';

/** The canary share a step declares, or undefined when the step does not set traffic. */
/** A canary step: Kruise sets `traffic` (older versions `weight`), Argo `setWeight`. */
type Step = { traffic?: unknown; weight?: unknown; setWeight?: unknown } | null | undefined;

function stepTraffic(rollout: SourcedObject, step: Step): number | undefined {
  const raw = isKruiseRollout(rollout.obj) ? (step?.traffic ?? step?.weight) : step?.setWeight;
  if (raw === undefined || raw === null) return undefined;
  const n = Number.parseFloat(String(raw));
  return Number.isFinite(n) ? n : undefined;
}

function stepsOf(rollout: SourcedObject): Step[] {
  const steps = rollout.obj.spec?.strategy?.canary?.steps;
  return Array.isArray(steps) ? steps : [];
}

const kruise = (traffic: string[]): string => `apiVersion: rollouts.kruise.io/v1beta1
kind: Rollout
metadata: {name: rollouts-demo}
spec:
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: echoserver}
  strategy:
    canary:
      steps:
${traffic.map((t) => `      - traffic: "${t}"\n        replicas: "${t}"\n`).join('')}      trafficRoutings:
      - service: echoserver
        customResourceRefs:
        - {apiVersion: networking.istio.io/v1, kind: VirtualService, name: echoserver}
`;

export const rolloutStepsDecreasing: Rule = {
  id: 'rollout-steps-decreasing',
  severity: 'warning',
  title: 'Canary traffic goes down between steps',
  description: 'The canary share declared by a Kruise Rollout (`traffic: "50%"`, v1alpha1 '
    + '`weight`) or an Argo Rollout (`setWeight`) goes down from one step to a later one. Users '
    + 'already moved to the new version are sent back to the old one, and the step order is '
    + 'usually a typo (traffic and replicas swapped, 50% then 20% meant as 80%).',
  bad: kruise(['50%', '20%']),
  good: kruise(['50%', '80%']),
  check(ix) {
    const out: Finding[] = [];
    for (const r of ix.rollouts) {
      let prev: { n: number; step: number } | undefined;
      stepsOf(r).forEach((step, i) => {
        const n = stepTraffic(r, step);
        if (n === undefined) return;
        if (prev && n < prev.n) {
          out.push(finding(this.id, this.severity, r,
            `step ${i + 1} declares ${n}% canary traffic, down from ${prev.n}% at step ${prev.step}`,
            'order the steps so canary traffic only grows (for example 20%, 50%, 80%); roll back by aborting, not with a step'));
        }
        prev = { n, step: i + 1 };
      });
    }
    return out;
  },
};
