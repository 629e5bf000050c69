// The probe's request as the routing model sees it (path, method, lower-case headers);
// which route it takes is src/kube/routing/select.ts.
import type { Request } from '../../kube/routing/select.js';
import type { ProbeConfig } from '../../types.js';

export interface ProbeRequest extends Request {
  method: string;
  headers: Record<string, string>;
}

export function probeRequest(config: ProbeConfig): ProbeRequest {
  let path = '/';
  try {
    path = new URL(config.url).pathname || '/';
  } catch { /* keep "/" */ }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(config.headers)) headers[k.toLowerCase()] = v;
  return { path, method: config.method.toUpperCase(), headers };
}
