// The lab app runs as PID 1 of its container on the real node, where the kernel drops a SIGTERM
// that has no handler. Each shutdown mode must still behave as on the stand-in: run the app as
// PID 1 of a new PID namespace (unshare) and signal it from outside, as runc does.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { request } from 'undici';
import { freePort } from '../../../src/lab/kube/ports.js';

const APP = fileURLToPath(new URL('../../../src/lab/app/main.js', import.meta.url));
const skip = process.getuid?.() !== 0 ? 'needs root for a PID namespace (unshare --pid)' : false;

interface Pid1App {
  proc: ChildProcess;
  port: number;
  exited: Promise<number | null>;
  /** The app's pid on the host (PID 1 inside its namespace). */
  hostPid(): number;
}

async function startAsPid1(shutdown: string): Promise<Pid1App> {
  const port = await freePort();
  const proc = spawn('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, APP, '--host', '127.0.0.1', '--port', String(port)], {
    env: { ...process.env, SHUTDOWN: shutdown, VERSION: '1', POD_NAME: 'pid1' },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  for (let i = 0; i < 200; i++) {
    const ok = await request(`http://127.0.0.1:${port}/healthz`).then((r) => r.body.dump().then(() => r.statusCode === 200), () => false);
    if (ok) break;
    await sleep(50);
  }
  const hostPid = (): number => Number(readFileSync(`/proc/${proc.pid}/task/${proc.pid}/children`, 'utf8').trim().split(' ')[0]);
  return { proc, port, exited, hostPid };
}

describe('the lab app as PID 1', { skip, timeout: 60_000 }, () => {
  it('immediate: exits at once on SIGTERM with 143, as if killed by it', async () => {
    const app = await startAsPid1('immediate');
    process.kill(app.hostPid(), 'SIGTERM');
    assert.equal(await app.exited, 143);
  });

  it('graceful: finishes the request in flight, then exits 0', async () => {
    const app = await startAsPid1('graceful');
    const inFlight = request(`http://127.0.0.1:${app.port}/?delay=500`).then(async (r) => ({ status: r.statusCode, body: await r.body.text() }));
    await sleep(100);
    process.kill(app.hostPid(), 'SIGTERM');
    const r = await inFlight;
    assert.equal(r.status, 200);
    assert.match(r.body, /Version 1/);
    assert.equal(await app.exited, 0);
  });

  it('ignore: keeps running after SIGTERM until SIGKILL', async () => {
    const app = await startAsPid1('ignore');
    process.kill(app.hostPid(), 'SIGTERM');
    const r = await request(`http://127.0.0.1:${app.port}/`);
    assert.equal(r.statusCode, 200);
    await r.body.dump();
    process.kill(app.hostPid(), 'SIGKILL');
    assert.notEqual(await app.exited, 0);
  });
});
