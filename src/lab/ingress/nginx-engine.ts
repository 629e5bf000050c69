// Real nginx as the gateway: one master process (our child, `daemon off`), its own prefix
// dir and pid file, reloaded with `nginx -s reload` only when the rendered config changed.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ZdError } from '../../errors.js';
import { freePort, getOnce, sleep } from './engine.js';
import type { Engine, EngineStartOptions } from './engine.js';
import { emptyModel } from './model.js';
import type { RoutingModel } from './model.js';
import { CONTROL_HOST, renderNginxConfig } from './render-nginx.js';

const run = promisify(execFile);

interface Proc {
  child: ChildProcess;
  stderr: string[];
  exited: Promise<void>;
}

function spawnMaster(bin: string, dir: string, conf: string): Proc {
  const child = spawn(bin, ['-p', `${dir}/`, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (s: string) => stderr.push(s));
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (e) => { stderr.push(String(e)); resolve(); });
  });
  return { child, stderr, exited };
}

async function nginxCmd(bin: string, dir: string, conf: string, args: string[]): Promise<void> {
  try {
    await run(bin, ['-p', `${dir}/`, '-c', conf, ...args], { timeout: 10_000 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new ZdError('internal', `nginx ${args.join(' ')} failed: ${(err.stderr ?? err.message).trim()}`);
  }
}

// A reload is live once a new connection is answered by a worker of the new generation.
async function waitGeneration(url: string, gen: number, proc: Proc, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) break;
    const r = await getOnce(url, { host: CONTROL_HOST }, 1000).catch(() => undefined);
    if (r?.status === 200 && r.body === String(gen)) return;
    await sleep(20);
  }
  throw new ZdError('internal', `nginx did not serve config generation ${gen}: ${proc.stderr.join('').trim() || 'no output'}`);
}

async function childPids(pid: number | undefined): Promise<number[]> {
  if (pid === undefined) return [];
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return text.split(/\s+/).filter(Boolean).map(Number);
}

// After a reload the master waits 100 ms before telling old workers to stop, and until
// then they still accept connections with the old config. An old worker that is told to
// stop retitles itself "worker process is shutting down" and closes its listeners.
async function waitOldWorkers(pids: number[], timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  const accepting = async (pid: number): Promise<boolean> => {
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
    return cmd !== undefined && !cmd.includes('shutting down');
  };
  while (Date.now() < until) {
    const still = await Promise.all(pids.map(accepting));
    if (!still.includes(true)) break;
    await sleep(10);
  }
  await sleep(pids.length > 0 ? 20 : 300);
}

// SIGTERM is nginx's fast shutdown (master stops its workers); SIGKILL is the last resort,
// and then the workers are killed too so no process outlives the lab.
async function stopMaster(proc: Proc): Promise<void> {
  const { child } = proc;
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const workers = await childPids(child.pid);
  child.kill('SIGTERM');
  const done = await Promise.race([proc.exited.then(() => true), sleep(5000).then(() => false)]);
  if (done) return;
  for (const w of [...workers, ...(await childPids(child.pid))]) {
    try { process.kill(w, 'SIGKILL'); } catch { /* already gone */ }
  }
  child.kill('SIGKILL');
  await proc.exited;
}

export async function startNginx(bin: string, opts: EngineStartOptions): Promise<Engine> {
  const dir = opts.dir.replace(/\/+$/, '');
  await mkdir(join(dir, 'tmp'), { recursive: true });
  const port = opts.port === 0 ? await freePort(opts.host) : opts.port;
  const url = `http://${opts.host}:${port}`;
  const conf = join(dir, 'nginx.conf');
  const user = process.getuid?.() === 0 ? 'root' : undefined;
  let generation = 1;
  const render = (m: RoutingModel, gen: number): string =>
    renderNginxConfig(m, { ...opts, dir, port, generation: gen, ...(user === undefined ? {} : { user }) });
  let current = render(emptyModel(), generation);
  await writeFile(conf, current);
  await nginxCmd(bin, dir, conf, ['-t', '-q']);
  const proc = spawnMaster(bin, dir, conf);
  await waitGeneration(url, generation, proc).catch(async (e: unknown) => { await stopMaster(proc); throw e; });

  let chain: Promise<void> = Promise.resolve();
  const reload = async (model: RoutingModel): Promise<void> => {
    if (render(model, generation) === current) return;
    const next = render(model, generation + 1);
    await writeFile(`${conf}.next`, next);
    await nginxCmd(bin, dir, `${conf}.next`, ['-t', '-q']);
    await rename(`${conf}.next`, conf);
    const old = await childPids(proc.child.pid);
    await nginxCmd(bin, dir, conf, ['-s', 'reload']);
    generation += 1;
    current = next;
    await waitGeneration(url, generation, proc);
    await waitOldWorkers(old);
  };
  return {
    kind: 'nginx',
    url,
    // Reloads run one at a time, in call order.
    apply: (model) => (chain = chain.catch(() => undefined).then(() => reload(model))),
    close: async () => { await chain.catch(() => undefined); await stopMaster(proc); },
  };
}
