// A throwaway nginx on loopback that answers 200 "ok" and logs one `$msec` line per request:
// the access log is the neutral counter every tool is judged by.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, statSync, openSync, readSync, closeSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NGINX = process.env.ZD_BENCH_NGINX ?? '/usr/sbin/nginx';

/** A free TCP port on 127.0.0.1 (bound then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function nginxConf(dir, port) {
  return `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  log_format tick '$msec';
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  # Tools keep connections for the whole run; nginx's default of 1000 requests per connection would
  # make every tool reconnect and measure that instead.
  keepalive_requests 100000000;
  server {
    listen 127.0.0.1:${port} backlog=8192;
    location / {
      access_log ${dir}/access.log tick;
      default_type text/plain;
      return 200 "ok";
    }
  }
}
`;
}

async function waitListening(port, deadlineMs) {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    const ok = await new Promise((resolve) => {
      const s = createServer().once('error', () => resolve(true)).listen(port, '127.0.0.1', () => s.close(() => resolve(false)));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not listen on ${port} within ${deadlineMs} ms`);
}

/** Starts nginx in its own prefix dir; returns the URL, a log reader and stop(). */
export async function startNginx() {
  const dir = mkdtempSync(join(tmpdir(), 'zd-bench-nginx-'));
  const port = await freePort();
  writeFileSync(join(dir, 'nginx.conf'), nginxConf(dir, port));
  writeFileSync(join(dir, 'access.log'), '');
  const child = spawn(NGINX, ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await Promise.race([waitListening(port, 5000), exited.then(() => Promise.reject(new Error(`nginx exited: ${stderr.trim()}`)))]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const log = join(dir, 'access.log');
  return {
    url: `http://127.0.0.1:${port}/`,
    pid: child.pid,
    /** Current size of the access log: a mark to read from after a run. */
    mark: () => statSync(log).size,
    /** Request times (epoch ms) logged since `mark`. */
    timesSince: (mark) => readTimes(log, mark),
    async stop() {
      child.kill('SIGQUIT');
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readTimes(file, from) {
  const size = statSync(file).size;
  const buf = Buffer.alloc(size - from);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, buf.length, from);
  } finally {
    closeSync(fd);
  }
  const out = [];
  for (const line of buf.toString('latin1').split('\n')) if (line) out.push(Number(line) * 1000);
  return out;
}
