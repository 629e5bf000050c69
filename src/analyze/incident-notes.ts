// What an incident's failures cannot show by themselves: a proxy's answer the probe's timeout hid, and
// a reuse/new split that says nothing about the pods behind an L7 proxy.
import type { ConfigSnapshot } from '../types.js';
import type { IncidentInput } from './causes/index.js';
import { pathOf, type Path, type Proxy } from './causes/path.js';

const s = (ms: number): string => `${+(ms / 1000).toFixed(1)} s`;

/** "after its 30 s dial timeout (a dial into a pod that is gone)" for each upstream timeout longer than the probe's. */
function hidden(p: Proxy, timeoutMs: number): string[] {
  const out: string[] = [];
  if (p.connectS !== undefined && p.connectS * 1000 > timeoutMs) out.push(`${p.connectAnswer ?? 'its own error'} after its ${p.connectS} s connect timeout (a dial into a pod that is gone)`);
  if (p.readS === 0) out.push('nothing at all while the pod held a request it had taken (no upstream read timeout by default)');
  else if (p.readS !== undefined && p.readS * 1000 > timeoutMs) out.push(`${p.readAnswer ?? 'its own error'} after its ${p.readS} s read timeout (a request the pod took and never answered)`);
  return out;
}

function timeoutNote(path: Path, n: number, timeoutMs: number): string | undefined {
  const lead = `${n} request${n === 1 ? '' : 's'} ended at the probe's own ${s(timeoutMs)} timeout`;
  if (path.layer === 'l4') return undefined;
  if (path.layer === 'unknown') {
    if (path.routes.length === 0) return `${lead}; whether an L7 proxy was on the path is not known (no Ingress, VirtualService or HTTPRoute was watched): if one was, a client that waits longer may have got its answer (often 504) instead`;
    return `${lead}; zdprobe cannot tell whether they went through ${path.routes.slice(0, 3).join(', ')} (${path.why}): if they did, a client that waits longer than that proxy's upstream timeouts gets its answer (often 504) instead`;
  }
  const p = path.proxy;
  const what = hidden(p, timeoutMs);
  if (p.connectS === undefined && p.readS === undefined) return `${lead} on a path through ${p.name}, via ${p.via}; its upstream timeouts are not known to zdprobe: if they are longer, a client that waits longer gets its answer (often 504) instead`;
  if (what.length === 0) return undefined;
  const retry = p.retries ? `; ${p.retries}` : '';
  return `${lead} on a path through ${p.name}, via ${p.via}: the proxy would have answered ${what.join(', or ')}; a client with a longer timeout sees that where zdprobe saw timeouts${retry}`;
}

/** Behind an L7 proxy the stale keep-alive connection is in the proxy's upstream pool, not the client's. */
function reuseNote(inc: IncidentInput, path: Path): string | undefined {
  const reuse = inc.modes.reuse ?? 0;
  const fresh = inc.modes.new ?? 0;
  if (path.layer !== 'l7' || inc.connection !== 'both' || reuse === 0 || fresh > 0.1 * (reuse + fresh)) return undefined;
  return `${reuse} of ${inc.failed} failures were on reused client connections, but they went through ${path.proxy.name}, via ${path.proxy.via}: the client's keep-alive connection ends at the proxy, which picks a pod per request, so the reuse/new split says nothing about the pods; a stale connection there lives in the proxy's upstream pool`;
}

export function incidentNotes(inc: IncidentInput, snapshots: ConfigSnapshot[]): string[] {
  const path = pathOf(inc, snapshots);
  const timeouts = inc.kinds['timeout'] ?? 0;
  const notes = [timeouts > 0 && inc.timeoutMs !== undefined ? timeoutNote(path, timeouts, inc.timeoutMs) : undefined, reuseNote(inc, path)];
  return notes.filter((n): n is string => n !== undefined);
}
