// A gone pod's sockets stop answering, as a deleted pod's IP does on a real node (no RST), and a new
// pod that gets the socket again can listen on it at once.
import assert from 'node:assert/strict';
import { connect, createServer } from 'node:net';
import { test } from 'node:test';
import { aliasNetwork, sharedNetwork } from '../../../src/lab/kubelet/pod-network.js';
import type { PodNetwork, PodSocket } from '../../../src/lab/kubelet/pod-network.js';

type Dial = 'refused' | 'answered' | 'hangs';

/** Connects, sends a request line and waits `quietMs`: RST, any reply or close, or nothing at all. */
function dial(at: PodSocket, quietMs = 300): Promise<Dial> {
  return new Promise((resolve) => {
    const s = connect({ host: at.host, port: at.port });
    const done = (d: Dial): void => { clearTimeout(timer); s.destroy(); resolve(d); };
    const timer = setTimeout(() => done('hangs'), quietMs);
    s.on('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED' ? 'refused' : 'answered'));
    s.on('data', () => done('answered'));
    s.on('end', () => done('answered'));
    s.on('connect', () => s.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
  });
}

/** A stand-in container: answers every connection with one line. */
function listen(at: PodSocket): Promise<() => Promise<void>> {
  const server = createServer((c) => c.resume().end('hello\n'));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.host, () => resolve(() => new Promise((r) => server.close(() => r()))));
  });
}

async function lifecycle(net: PodNetwork, address: string, port: number): Promise<Dial[]> {
  const at = net.claim(address, port);
  const stop = await listen(at);
  const seen = [await dial(net.socket(address, port))];
  await stop(); // the container exits: its port answers RST until the sandbox is gone
  seen.push(await dial(net.socket(address, port)));
  net.release(address);
  seen.push(await dial(net.socket(address, port)));
  const again = await listen(net.claim(address, port)); // the address handed out again
  seen.push(await dial(net.socket(address, port)));
  await again();
  return seen;
}

const freePort = (): Promise<number> => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const port = (s.address() as { port: number }).port;
    s.close(() => resolve(port));
  });
});

test('on the shared network a gone pod\'s port hangs instead of refusing, and is listenable when handed out again', async (t) => {
  const net = sharedNetwork(await freePort(), 1);
  t.after(() => net.close());
  assert.deepEqual(await lifecycle(net, '127.77.0.2', 8080), ['answered', 'refused', 'hangs', 'answered']);
});

test('on loopback aliases a gone pod\'s address hangs instead of refusing', { skip: process.platform !== 'linux' && 'needs 127/8 aliases (Linux)' }, async (t) => {
  const net = aliasNetwork();
  t.after(() => net.close());
  const port = await freePort();
  assert.deepEqual(await lifecycle(net, '127.77.0.3', port), ['answered', 'refused', 'hangs', 'answered']);
});

test('closing the network lets go of the held sockets and their connections', async () => {
  const net = sharedNetwork(await freePort(), 1);
  const at = net.claim('127.77.0.4', 80);
  net.release('127.77.0.4');
  const pending = dial(at, 5_000);
  await new Promise((r) => setTimeout(r, 100));
  await net.close();
  assert.equal(await pending, 'answered', 'the held connection is closed by close()');
  assert.equal(await dial(at), 'refused', 'nothing listens there any more');
});
