// CustomResourceDefinitions the lab's ingress and Kruise-style controller read and write on a real apiserver.
import type { KubernetesObject } from '@kubernetes/client-node';

// The lab stores these objects as they are; it never relies on server-side schema pruning.
const openSchema = {
  openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
};

interface CrdSpec {
  group: string;
  kind: string;
  plural: string;
  versions: string[];
  storage: string;
  shortNames?: string[];
}

function crd(s: CrdSpec): KubernetesObject & { spec: unknown } {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${s.plural}.${s.group}` },
    spec: {
      group: s.group,
      scope: 'Namespaced',
      names: {
        kind: s.kind,
        listKind: `${s.kind}List`,
        plural: s.plural,
        singular: s.kind.toLowerCase(),
        ...(s.shortNames ? { shortNames: s.shortNames } : {}),
      },
      versions: s.versions.map((name) => ({
        name,
        served: true,
        storage: name === s.storage,
        schema: openSchema,
        subresources: { status: {} },
      })),
    },
  };
}

export const LAB_CRDS: ReadonlyArray<KubernetesObject & { spec: unknown }> = [
  crd({
    group: 'networking.istio.io',
    kind: 'VirtualService',
    plural: 'virtualservices',
    versions: ['v1alpha3', 'v1beta1', 'v1'],
    storage: 'v1beta1',
    shortNames: ['vs'],
  }),
  crd({
    group: 'networking.istio.io',
    kind: 'DestinationRule',
    plural: 'destinationrules',
    versions: ['v1alpha3', 'v1beta1', 'v1'],
    storage: 'v1beta1',
    shortNames: ['dr'],
  }),
  crd({ group: 'rollouts.kruise.io', kind: 'Rollout', plural: 'rollouts', versions: ['v1beta1'], storage: 'v1beta1' }),
  crd({
    group: 'gateway.networking.k8s.io',
    kind: 'HTTPRoute',
    plural: 'httproutes',
    versions: ['v1', 'v1beta1'],
    storage: 'v1',
  }),
];
