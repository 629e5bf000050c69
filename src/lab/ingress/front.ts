// A thin client-facing front for the nginx engine, like a cloud load balancer before
// ingress-nginx. Why: the lab's nginx reloads on endpoint changes (real ingress-nginx updates
// endpoints through Lua without reloading), and every reload closes idle client keep-alive
// connections, so a probe request racing that close would fail for a reason that is the lab's,
// not the rollout's. The front keeps client connections and sends each request to nginx on a
// connection of its own; nginx's statuses (its genuine 502/503/504) pass through unchanged.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { Agent, request } from 'undici';

export interface Front {
  url: string;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

export async function startFront(host: string, port: number, upstream: string): Promise<Front> {
  // One request per upstream connection: nginx never holds an idle connection of ours to close.
  const agent = new Agent({ pipelining: 0 });
  const server = http.createServer((req, res) => {
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !HOP_BY_HOP.has(k))) as Record<string, string>;
    request(new URL(req.url ?? '/', upstream), { method: req.method as 'GET', headers, body: req.method === 'GET' || req.method === 'HEAD' ? null : req, dispatcher: agent, reset: true })
      .then(async (up) => {
        const out = Object.fromEntries(Object.entries(up.headers).filter(([k]) => !HOP_BY_HOP.has(k)));
        res.writeHead(up.statusCode, out as http.OutgoingHttpHeaders);
        await pipeline(up.body, res);
      })
      .catch((err: Error) => {
        if (res.headersSent) return void res.destroy(err);
        res.writeHead(502, { 'content-type': 'text/plain', 'x-zdprobe-front': 'error' }).end(`lab front could not reach nginx: ${err.message}\n`);
      });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, () => resolve()));
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${host}:${addr.port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await agent.destroy();
    },
  };
}
