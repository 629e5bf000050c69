// Rewrites the VirtualServices named by a Rollout's trafficRoutings for a step, remembering the
// original spec in an annotation on each VirtualService (as Kruise's custom network provider does)
// and restoring it when the step is null.
import type { ControllerContext } from './context.js';
import type { NetworkRef, Rollout, RolloutStep } from './kruise-types.js';
import { ORIGIN_SPEC_ANNOTATION } from './kruise-plan.js';
import { routedSpec } from './kruise-routes.js';
import { canonicalJson } from './objects.js';

type Json = Record<string, unknown>;
interface VirtualService {
  metadata?: { annotations?: Record<string, string> } & Json;
  spec?: Json;
}

function refsOf(r: Rollout): Array<{ service: string; ref: NetworkRef }> {
  return (r.spec?.strategy?.canary?.trafficRoutings ?? []).flatMap((t) =>
    [...(t.customNetworkRefs ?? []), ...(t.networkRefs ?? [])]
      .filter((ref) => ref.kind === 'VirtualService')
      .map((ref) => ({ service: t.service, ref })),
  );
}

/** The object to write, or undefined when the VirtualService is already as wanted. */
export function nextVirtualService(vs: VirtualService, step: RolloutStep | null, service: string): VirtualService | undefined {
  const annotations = { ...(vs.metadata?.annotations ?? {}) };
  const saved = annotations[ORIGIN_SPEC_ANNOTATION];
  const original = saved ? ((JSON.parse(saved) as { spec?: Json }).spec ?? {}) : (vs.spec ?? {});
  if (step === null) {
    if (!saved) return undefined;
    delete annotations[ORIGIN_SPEC_ANNOTATION];
    return { ...vs, metadata: { ...vs.metadata, annotations }, spec: original };
  }
  const spec = routedSpec(original, step, service);
  if (saved && canonicalJson(spec) === canonicalJson(vs.spec)) return undefined;
  annotations[ORIGIN_SPEC_ANNOTATION] = saved ?? JSON.stringify({ spec: original });
  return { ...vs, metadata: { ...vs.metadata, annotations }, spec };
}

export async function routeVirtualServices(ctx: ControllerContext, r: Rollout, namespace: string, step: RolloutStep | null): Promise<void> {
  const { custom } = ctx.clients;
  for (const { service, ref } of refsOf(r)) {
    const [group = '', version = ''] = ref.apiVersion.split('/');
    const at = { group, version, plural: 'virtualservices', namespace, name: ref.name };
    const vs = (await custom.getNamespacedCustomObject(at)) as VirtualService;
    const next = nextVirtualService(vs, step, service);
    if (next) await custom.replaceNamespacedCustomObject({ ...at, body: next });
  }
}
