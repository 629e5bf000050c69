// The EndpointSlice controller: one reconcile per Service; any pod change in a namespace
// re-examines that namespace's Services (cheap at lab scale, and never misses a relabel).
import type { V1EndpointSlice, V1Pod, V1Service } from '@kubernetes/client-node';
import type { ControllerContext } from './context.js';
import { ignoreNotFound } from './deployment.js';
import type { Loop } from './loop.js';
import { startLoop } from './loop.js';
import { keyOf, splitKey } from './objects.js';
import { SERVICE_NAME_LABEL, orphanSlices, planEndpointSlices } from './endpointslice-plan.js';

export function startEndpointSliceController(ctx: ControllerContext): Loop {
  const services = ctx.informers.store<V1Service>('services');
  const pods = ctx.informers.store<V1Pod>('pods');
  const slices = ctx.informers.store<V1EndpointSlice>('endpointslices');
  const loop = startLoop({
    name: 'endpointslice',
    resyncMs: ctx.resyncMs,
    onError: ctx.onError,
    keys: () => services.list().map(keyOf),
    reconcile: (key) => syncService(ctx, key),
  });
  services.onChange((svc) => loop.enqueue(keyOf(svc)));
  pods.onChange((pod) => {
    for (const svc of services.list(pod.metadata?.namespace)) loop.enqueue(keyOf(svc));
  });
  slices.onChange((s) => {
    const svc = s.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (svc) loop.enqueue(`${s.metadata?.namespace ?? ''}/${svc}`);
  });
  return loop;
}

async function syncService(ctx: ControllerContext, key: string): Promise<void> {
  const { namespace, name } = splitKey(key);
  const { discovery } = ctx.clients;
  const slices = ctx.informers.store<V1EndpointSlice>('endpointslices');
  const svc = ctx.informers.store<V1Service>('services').get(namespace, name);
  const existing = slices.list(namespace);
  if (!svc || svc.metadata?.deletionTimestamp != null) {
    await removeAll(ctx, namespace, orphanSlices(namespace, name, existing));
    return;
  }
  // Services without a selector have hand-managed endpoints.
  if (!svc.spec?.selector || Object.keys(svc.spec.selector).length === 0) return;
  const plan = planEndpointSlices(svc, ctx.informers.store<V1Pod>('pods').list(namespace), existing);
  for (const body of plan.create) slices.wrote(await discovery.createNamespacedEndpointSlice({ namespace, body }));
  for (const body of plan.update) {
    const sliceName = body.metadata?.name ?? '';
    slices.wrote(await discovery.replaceNamespacedEndpointSlice({ name: sliceName, namespace, body }));
  }
  await removeAll(ctx, namespace, plan.remove);
}

async function removeAll(ctx: ControllerContext, namespace: string, names: readonly string[]): Promise<void> {
  const slices = ctx.informers.store<V1EndpointSlice>('endpointslices');
  for (const name of names) {
    await ctx.clients.discovery.deleteNamespacedEndpointSlice({ name, namespace }).catch(ignoreNotFound);
    slices.deleted(namespace, name);
  }
}
