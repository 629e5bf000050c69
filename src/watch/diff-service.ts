// Service changes: the selector and ports decide which pods get traffic.
import type { ClusterEvent, KubeObject } from '../types.js';
import { clusterEvent } from './event.js';

type Port = { port?: number; targetPort?: number | string };

function serviceFields(svc: KubeObject): { selector: string; ports: string; serviceType: string } {
  const sel = Object.entries(svc.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  const ports = ((svc.spec?.ports ?? []) as Port[]).map((p) => `${p.port}->${p.targetPort ?? p.port}`).join(',');
  return { selector: sel, ports, serviceType: svc.spec?.type ?? 'ClusterIP' };
}

export function diffService(old: KubeObject | undefined, cur: KubeObject | undefined, at: number): ClusterEvent[] {
  const obj = cur ?? old;
  if (!obj) return [];
  const after = serviceFields(obj);
  if (old && cur && JSON.stringify(serviceFields(old)) === JSON.stringify(after)) return [];
  const type = !old ? 'created' : !cur ? 'deleted' : 'changed';
  return [clusterEvent(at, obj, { kind: 'service', type, ...after })];
}
