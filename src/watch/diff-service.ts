// Service changes: the selector and ports decide which pods get traffic.
import type { ClusterEvent, KubeObject } from '../types.js';
import { clusterEvent, type Detail } from './event.js';

function serviceDetail(svc: KubeObject): Detail {
  const sel = Object.entries(svc.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  const ports = (svc.spec?.ports ?? []).map((p: any) => `${p.port}->${p.targetPort ?? p.port}`).join(',');
  return { selector: sel, ports, type: svc.spec?.type ?? 'ClusterIP' };
}

export function diffService(old: KubeObject | undefined, cur: KubeObject | undefined, at: number): ClusterEvent[] {
  const obj = cur ?? old;
  if (!obj) return [];
  const after = serviceDetail(obj);
  if (old && cur && JSON.stringify(serviceDetail(old)) === JSON.stringify(after)) return [];
  const type = !old ? 'created' : !cur ? 'deleted' : 'changed';
  return [clusterEvent(at, 'service', type, obj, after)];
}
