// Before time zero at high rates: the HTTP/1.1 sender's own path (socket writes and reads, the
// response reader, the collector) runs a few thousand exchanges against a throwaway server inside this
// process on 127.0.0.1, so the first second meets compiled code instead of queueing behind the JIT
// (at 20 000 rps a cold start ran 100-250 ms behind for its first second). The target sees none of
// them: only connections are opened to it before time zero.
import { createServer } from 'node:net';
import type { Sender } from './result.js';

const ANSWER = 'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nx-app-version: 1\r\ncontent-length: 9\r\n\r\nVersion 1';
const CONCURRENCY = 64;

/** Sends `count` requests through a sender made for a local server; resolves once all have ended. */
export async function warmOnLoopback(senderFor: (url: URL) => Sender, count: number): Promise<void> {
  const server = createServer((socket) => {
    socket.on('data', () => socket.write(ANSWER)).on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const sender = senderFor(new URL(`http://127.0.0.1:${port}/`));
  try {
    await sender.preconnect?.(CONCURRENCY);
    for (let sent = 0; sent < count; sent += CONCURRENCY) {
      await Promise.all(Array.from({ length: CONCURRENCY }, () => new Promise((resolve) => sender.send('reuse', resolve))));
    }
  } finally {
    await sender.close();
    await new Promise((resolve) => server.close(resolve));
  }
}
