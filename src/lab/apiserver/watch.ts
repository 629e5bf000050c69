// ?watch=true: newline-delimited JSON events, replayed from a resourceVersion or started with the
// current state, filtered by namespace and selectors (objects leaving a selector arrive as DELETED).

import type { ServerResponse } from 'node:http';
import type { ResourceDef } from './resources.js';
import { apiVersionOf } from './resources.js';
import { matches as matchLabels, type Selector as LabelSelector } from '../../kube/selector.js';
import { matchFields, type FieldSelector } from './field-selector.js';
import { ApiError } from './status.js';
import { toTable } from './table.js';
import { grOf, type StoredObject, type Store, type StoreEvent } from './store.js';

export interface WatchRequest {
  def: ResourceDef;
  version: string;
  namespace: string | undefined;
  labels: LabelSelector;
  fields: FieldSelector;
  resourceVersion: string | undefined;
  bookmarks: boolean;
  sendInitialEvents: boolean;
  timeoutSeconds: number;
  bookmarkIntervalMs: number;
  /** kubectl get -w asks for Table rows instead of objects. */
  table: boolean;
}

type WatchType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** The object as this watch's client expects it: its requested apiVersion and kind. */
export function present(obj: StoredObject, def: ResourceDef, version: string): StoredObject {
  return { ...obj, apiVersion: apiVersionOf(def.group, version), kind: def.kind };
}

function matcher(w: WatchRequest): (obj: StoredObject | undefined) => boolean {
  return (obj) =>
    obj !== undefined &&
    (w.namespace === undefined || obj.metadata.namespace === w.namespace) &&
    matchLabels(w.labels, obj.metadata.labels) &&
    matchFields(w.fields, obj);
}

/** Translates a store event into what this watch sees, or nothing. */
function translate(event: StoreEvent, matches: (o: StoredObject | undefined) => boolean): WatchType | undefined {
  const now = matches(event.object);
  if (event.type !== 'MODIFIED') return now ? event.type : undefined;
  const before = matches(event.previous);
  if (now) return before ? 'MODIFIED' : 'ADDED';
  return before ? 'DELETED' : undefined;
}

export function serveWatch(res: ServerResponse, store: Store, w: WatchRequest, onClose: (end: () => void) => () => void): void {
  const gr = grOf(w.def.group, w.def.resource);
  const matches = matcher(w);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  const send = (type: WatchType, object: unknown): void => {
    const out = w.table && (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') ? toTable(object, w.def) : object;
    if (!res.writableEnded) res.write(`${JSON.stringify({ type, object: out })}\n`);
  };
  const sendEvent = (e: StoreEvent): void => {
    if (e.gr !== gr) return;
    const type = translate(e, matches);
    if (type) send(type, present(e.object, w.def, w.version));
  };
  const bookmark = (initialEnd: boolean): void =>
    send('BOOKMARK', {
      kind: w.def.kind,
      apiVersion: apiVersionOf(w.def.group, w.version),
      metadata: {
        resourceVersion: String(store.currentRv()),
        ...(initialEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}),
      },
    });
  const rv = w.resourceVersion;
  const fromState = rv === undefined || rv === '' || rv === '0' || w.sendInitialEvents;
  if (fromState) {
    for (const obj of store.list(gr, w.namespace)) if (matches(obj)) send('ADDED', present(obj, w.def, w.version));
    if (w.sendInitialEvents && w.bookmarks) bookmark(true);
  } else {
    try {
      for (const e of store.eventsSince(Number(rv))) sendEvent(e);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      send('ERROR', err.toStatus());
      res.end();
      return;
    }
  }
  const unsubscribe = store.subscribe(sendEvent);
  const timers: NodeJS.Timeout[] = [];
  if (w.bookmarks) timers.push(setInterval(() => bookmark(false), w.bookmarkIntervalMs));
  if (Number.isFinite(w.timeoutSeconds)) timers.push(setTimeout(() => end(), w.timeoutSeconds * 1000));
  let forget = (): void => undefined;
  const end = (): void => {
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    forget();
    if (!res.writableEnded) res.end();
  };
  forget = onClose(end);
  res.on('close', end);
}
