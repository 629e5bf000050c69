// Compact etcd to its current revision through its JSON gRPC gateway, so older resourceVersions expire.
import { ZdError } from '../../errors.js';
import { httpCall } from './wait-ready.js';

interface RangeAnswer {
  header?: { revision?: string };
}

async function etcdPost(etcdUrl: string, path: string, body: unknown): Promise<string> {
  const res = await httpCall(`${etcdUrl}${path}`, { method: 'POST', body: JSON.stringify(body), timeoutMs: 10_000 });
  if (res.status !== 200) throw new ZdError('internal', `etcd ${path}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
  return res.body;
}

export async function currentRevision(etcdUrl: string): Promise<number> {
  // Any key will do: every answer carries the store's current revision in its header.
  const answer = JSON.parse(await etcdPost(etcdUrl, '/v3/kv/range', { key: 'Lw==', limit: 1 })) as RangeAnswer;
  const revision = Number(answer.header?.revision);
  if (!Number.isInteger(revision) || revision < 1) throw new ZdError('internal', 'etcd returned no revision');
  return revision;
}

/** Physically compacts every revision before the current one; returns the compacted revision. */
export async function compactEtcd(etcdUrl: string): Promise<number> {
  const revision = await currentRevision(etcdUrl);
  await etcdPost(etcdUrl, '/v3/kv/compaction', { revision: String(revision), physical: true });
  return revision;
}
