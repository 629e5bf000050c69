// undici's HTTP/1.1 Client, loaded alone: undici's index also loads fetch, WebSocket, caches, mocks
// and proxies (about 110 files, ~0.06 CPU s at start-up) that a probe never uses. undici has no
// `exports` map, so the file is reachable; a test checks it is the very class the index exports.
import { createRequire } from 'node:module';
import type { Client as ClientType } from 'undici';

export const Client = createRequire(import.meta.url)('undici/lib/dispatcher/client.js') as typeof ClientType;
export type Client = ClientType;
export type ClientOptions = ClientType.Options;
