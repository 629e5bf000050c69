// The node:http front: reads the request, routes it, writes JSON (or a watch stream) back.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { apiGroupDoc, apiGroupList, apiVersions, resourceList, VERSION_INFO } from './discovery.js';
import { handleBindings, handleResource, type ApiRequest, type ApiResponse } from './handlers.js';
import type { Registry } from './registry.js';
import { openApiGroupVersion, openApiRoot } from './openapi.js';
import { parseRoute, type ResourceRoute } from './routes.js';
import { parseFieldSelector, parseLabelSelector } from './field-selector.js';
import { ApiError, badRequest } from './status.js';
import { toTable, wantsTable } from './table.js';
import { serveWatch } from './watch.js';

export interface ServerContext {
  registry: Registry;
  serverAddress: string;
  bookmarkIntervalMs: number;
  /** The server ends every watch after this long, as the real one does (clients then re-watch). */
  watchTimeoutSeconds: number;
  /** Registers a running watch so close() can end it; returns the unregister function. */
  track: (end: () => void) => () => void;
}

const MAX_BODY = 8 * 1024 * 1024;
const APPLY_PATCH = 'application/apply-patch+yaml';

async function readBody(req: IncomingMessage, contentType: string): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ApiError(413, 'RequestEntityTooLarge', 'request body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  try {
    // Server-side apply bodies are YAML (kubectl sends JSON, which is YAML too).
    return contentType.startsWith(APPLY_PATCH) ? parseYaml(text) : JSON.parse(text);
  } catch {
    throw badRequest('the request body is not valid JSON');
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function discovery(group: string, version: string | undefined, ctx: ServerContext): unknown | undefined {
  if (group === '' && version === undefined) return apiVersions(ctx.serverAddress);
  if (version === undefined) return apiGroupDoc(group);
  return resourceList(group, version);
}

function plainPath(pathname: string): unknown | undefined {
  if (pathname === '/version' || pathname === '/version/') return VERSION_INFO;
  if (pathname === '/apis' || pathname === '/apis/') return apiGroupList();
  if (['/healthz', '/readyz', '/livez'].includes(pathname)) return 'ok';
  if (pathname === '/openapi/v3' || pathname === '/openapi/v3/') return openApiRoot();
  if (pathname.startsWith('/openapi/v3/')) return openApiGroupVersion(pathname);
  return undefined;
}

const isWatch = (r: ResourceRoute, q: URLSearchParams): boolean => r.watch || q.get('watch') === 'true' || q.get('watch') === '1';

function startWatch(res: ServerResponse, r: ResourceRoute, q: URLSearchParams, ctx: ServerContext, table: boolean): void {
  const asked = q.get('timeoutSeconds');
  const timeout = asked === null ? ctx.watchTimeoutSeconds : Math.min(Number(asked), ctx.watchTimeoutSeconds);
  const fields = parseFieldSelector(q.get('fieldSelector'));
  const rv = q.get('resourceVersion');
  if (rv !== null && rv !== '' && !/^\d+$/.test(rv)) throw badRequest(`invalid resource version: ${rv}`);
  // The legacy /watch/<resource>/<name> form is a watch on one name.
  if (r.name !== undefined) fields.push({ path: ['metadata', 'name'], value: r.name, negate: false });
  serveWatch(
    res,
    ctx.registry.store,
    {
      def: r.def,
      version: r.version,
      namespace: r.namespace,
      labels: parseLabelSelector(q.get('labelSelector')),
      fields,
      resourceVersion: rv ?? undefined,
      bookmarks: q.get('allowWatchBookmarks') === 'true',
      sendInitialEvents: q.get('sendInitialEvents') === 'true',
      timeoutSeconds: timeout,
      bookmarkIntervalMs: ctx.bookmarkIntervalMs,
      table,
    },
    ctx.track,
  );
}

async function dispatch(req: IncomingMessage, res: ServerResponse, ctx: ServerContext): Promise<ApiResponse | undefined> {
  const url = new URL(req.url ?? '/', 'http://lab');
  const method = req.method ?? 'GET';
  const plain = plainPath(url.pathname);
  if (plain !== undefined) return { status: 200, body: plain };
  const route = parseRoute(url.pathname);
  const contentType = req.headers['content-type'] ?? 'application/json';
  const body = method === 'GET' ? undefined : await readBody(req, contentType);
  const apiReq: ApiRequest = { method, query: url.searchParams, body, contentType };
  if (route.kind === 'discovery') {
    const doc = method === 'GET' ? discovery(route.group, route.version, ctx) : undefined;
    return doc === undefined ? notFoundPath(url.pathname) : { status: 200, body: doc };
  }
  if (route.kind === 'bindings') return handleBindings(ctx.registry, route.namespace, apiReq);
  if (route.kind === 'unknown') return notFoundPath(url.pathname);
  const r = route.route;
  if (method === 'GET' && isWatch(r, url.searchParams)) {
    startWatch(res, r, url.searchParams, ctx, wantsTable(req.headers.accept));
    return undefined;
  }
  const out = handleResource(ctx.registry, r, apiReq);
  if (method === 'GET' && wantsTable(req.headers.accept)) return { status: out.status, body: toTable(out.body, r.def) };
  return out;
}

function notFoundPath(pathname: string): ApiResponse {
  return { status: 404, body: new ApiError(404, 'NotFound', `the server could not find the requested resource (${pathname})`).toStatus() };
}

export function handler(ctx: ServerContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    dispatch(req, res, ctx)
      .then((out) => {
        if (out) send(res, out.status, out.body);
      })
      .catch((err: unknown) => {
        const apiErr = err instanceof ApiError ? err : new ApiError(500, 'InternalError', `internal error: ${String((err as Error)?.message ?? err)}`);
        if (!res.headersSent) send(res, apiErr.code, apiErr.toStatus());
        else res.end();
      });
  };
}
