// What every lab cluster needs before use: the lab CRDs (Established), restricted-user RBAC, default SA.
import {
  ApiextensionsV1Api,
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { crdName, LAB_CRD_SPECS, LAB_CRDS } from './crds.js';
import { restrictedRbac } from './rbac.js';
import { pollFor } from './wait-ready.js';

async function createIfMissing(client: KubernetesObjectApi, obj: KubernetesObject): Promise<void> {
  try {
    await client.create(obj);
  } catch (err) {
    if (!(err instanceof ApiException && err.code === 409)) throw err;
  }
}

async function established(api: ApiextensionsV1Api, name: string): Promise<true | undefined> {
  const crd = await api.readCustomResourceDefinition({ name });
  const ok = crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
  return ok ? true : undefined;
}

export async function installLabResources(kc: KubeConfig, timeoutMs: number): Promise<void> {
  const client = KubernetesObjectApi.makeApiClient(kc);
  for (const obj of [...LAB_CRDS, ...restrictedRbac()]) await createIfMissing(client, obj);
  const extensions = kc.makeApiClient(ApiextensionsV1Api);
  const objects = kc.makeApiClient(CustomObjectsApi);
  for (const spec of LAB_CRD_SPECS) {
    const name = crdName(spec);
    await pollFor(`CRD ${name} Established`, timeoutMs, () => established(extensions, name));
    // Established comes before the watch cache is filled; until then lists answer 429.
    for (const version of spec.versions) {
      await pollFor(`${spec.plural}.${version}.${spec.group} served`, timeoutMs, async () => {
        await objects.listClusterCustomObject({ group: spec.group, version, plural: spec.plural });
        return true;
      });
    }
  }
  // Pods are refused until the serviceaccount controller has made the namespace's default account.
  const core = kc.makeApiClient(CoreV1Api);
  await pollFor('ServiceAccount default/default', timeoutMs, async () => {
    await core.readNamespacedServiceAccount({ name: 'default', namespace: 'default' });
    return true;
  });
}
