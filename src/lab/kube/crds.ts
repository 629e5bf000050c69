// CustomResourceDefinitions the lab's ingress and Kruise-style controller read and write on a real apiserver.
import type { KubernetesObject } from '@kubernetes/client-node';

// The lab stores these objects as they are; it never relies on server-side schema pruning.
// The client's typed serializer (V1JSONSchemaProps) only knows the snake_case property: the
// JSON key would be dropped on create, and the apiserver would then prune every spec to {}.
const openSchema = {
  openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true },
};

export interface CrdSpec {
  group: string;
  kind: string;
  plural: string;
  versions: string[];
  storage: string;
  shortNames?: string[];
}

// *.k8s.io groups are protected: the apiserver wants the annotation upstream Gateway API CRDs carry.
function approval(group: string): Record<string, string> {
  const protectedGroup = group === 'k8s.io' || group.endsWith('.k8s.io');
  return protectedGroup ? { 'api-approved.kubernetes.io': 'https://github.com/kubernetes-sigs/gateway-api/pull/2466' } : {};
}

function crd(s: CrdSpec): KubernetesObject & { spec: unknown } {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: crdName(s), annotations: approval(s.group) },
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

export const LAB_CRD_SPECS: readonly CrdSpec[] = [
  {
    group: 'networking.istio.io',
    kind: 'VirtualService',
    plural: 'virtualservices',
    versions: ['v1alpha3', 'v1beta1', 'v1'],
    storage: 'v1beta1',
    shortNames: ['vs'],
  },
  {
    group: 'networking.istio.io',
    kind: 'DestinationRule',
    plural: 'destinationrules',
    versions: ['v1alpha3', 'v1beta1', 'v1'],
    storage: 'v1beta1',
    shortNames: ['dr'],
  },
  { group: 'rollouts.kruise.io', kind: 'Rollout', plural: 'rollouts', versions: ['v1beta1'], storage: 'v1beta1' },
  {
    group: 'gateway.networking.k8s.io',
    kind: 'HTTPRoute',
    plural: 'httproutes',
    versions: ['v1', 'v1beta1'],
    storage: 'v1',
  },
];

export const crdName = (s: CrdSpec): string => `${s.plural}.${s.group}`;

export const LAB_CRDS = LAB_CRD_SPECS.map(crd);
