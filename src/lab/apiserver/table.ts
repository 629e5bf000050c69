// meta.k8s.io/v1 Table output, which `kubectl get` asks for, with the columns the real server prints.

import type { ResourceDef } from './resources.js';
import type { StoredObject } from './store.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

interface Column {
  name: string;
  priority?: number;
  cell: (o: Any) => unknown;
}

export function wantsTable(accept: string | undefined): boolean {
  return accept !== undefined && /as=Table/.test(accept);
}

/** kubectl's short ages: 45s, 3m20s, 12m, 5h3m, 2d. */
export function humanAge(created: string | undefined, now = Date.now()): string {
  if (!created) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(created)) / 1000));
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  if (s < 120) return `${s}s`;
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  if (h < 3) return `${m}m`;
  if (h < 8) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

const name: Column = { name: 'Name', cell: (o) => o.metadata?.name };
const age: Column = { name: 'Age', cell: (o) => humanAge(o.metadata?.creationTimestamp) };

function podStatus(o: Any): string {
  if (o.metadata?.deletionTimestamp) return 'Terminating';
  const waiting = (o.status?.containerStatuses ?? []).find((c: Any) => c.state?.waiting?.reason);
  return waiting?.state.waiting.reason ?? o.status?.phase ?? 'Unknown';
}

function ports(o: Any): string {
  const list = (o.spec?.ports ?? []).map((p: Any) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`);
  return list.length ? list.join(',') : '<none>';
}

const COLUMNS: Record<string, Column[]> = {
  Pod: [
    name,
    { name: 'Ready', cell: (o) => `${(o.status?.containerStatuses ?? []).filter((c: Any) => c.ready).length}/${(o.spec?.containers ?? []).length}` },
    { name: 'Status', cell: podStatus },
    { name: 'Restarts', cell: (o) => (o.status?.containerStatuses ?? []).reduce((n: number, c: Any) => n + (c.restartCount ?? 0), 0) },
    age,
    { name: 'IP', priority: 1, cell: (o) => o.status?.podIP ?? '<none>' },
    { name: 'Node', priority: 1, cell: (o) => o.spec?.nodeName ?? '<none>' },
  ],
  Deployment: [
    name,
    { name: 'Ready', cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}` },
    { name: 'Up-to-date', cell: (o) => o.status?.updatedReplicas ?? 0 },
    { name: 'Available', cell: (o) => o.status?.availableReplicas ?? 0 },
    age,
  ],
  ReplicaSet: [
    name,
    { name: 'Desired', cell: (o) => o.spec?.replicas ?? 0 },
    { name: 'Current', cell: (o) => o.status?.replicas ?? 0 },
    { name: 'Ready', cell: (o) => o.status?.readyReplicas ?? 0 },
    age,
  ],
  Service: [
    name,
    { name: 'Type', cell: (o) => o.spec?.type },
    { name: 'Cluster-IP', cell: (o) => o.spec?.clusterIP ?? '<none>' },
    { name: 'External-IP', cell: () => '<none>' },
    { name: 'Port(s)', cell: ports },
    age,
  ],
  Node: [
    name,
    { name: 'Status', cell: (o) => ((o.status?.conditions ?? []).some((c: Any) => c.type === 'Ready' && c.status === 'True') ? 'Ready' : 'NotReady') },
    { name: 'Roles', cell: () => '<none>' },
    age,
    { name: 'Version', cell: (o) => o.status?.nodeInfo?.kubeletVersion ?? '' },
  ],
};

function partial(o: StoredObject): unknown {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

/** A get or list response as a Table; anything else (a Status, a Scale) passes through. */
export function toTable(body: unknown, def: ResourceDef): unknown {
  const b = body as Any;
  if (!b || typeof b !== 'object' || b.kind !== def.kind && b.kind !== `${def.kind}List`) return body;
  const items: StoredObject[] = Array.isArray(b.items) ? b.items : [b];
  const columns = COLUMNS[def.kind] ?? [name, age];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: b.metadata?.resourceVersion ?? '' },
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: 'string',
      format: c.name === 'Name' ? 'name' : '',
      description: c.name,
      priority: c.priority ?? 0,
    })),
    rows: items.map((o) => ({ cells: columns.map((c) => c.cell(o) ?? ''), object: partial(o) })),
  };
}
