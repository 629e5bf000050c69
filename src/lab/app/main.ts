// The lab app: one process per pod. `node dist/src/lab/app/main.js --host H --port P`, configured by env.
// It is a process entry point, not library code: it owns its signals and decides how it dies.
import { parseAppConfig } from './config.js';
import type { AppConfig } from './config.js';
import { createAppServer } from './server.js';
import { growMemory } from './faults.js';
import type { AppServer, Log } from './server.js';

const log: Log = (line) => {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
};

function onSigterm(config: AppConfig, app: AppServer): void {
  log(`SIGTERM received, shutdown=${config.shutdown} drain=${config.drainMs}ms`);
  switch (config.shutdown) {
    case 'ignore':
      return;
    case 'immediate':
      // Like an app with no handler: the default action kills it, after cutting connections with RSTs.
      app.resetAll();
      process.removeAllListeners('SIGTERM');
      process.kill(process.pid, 'SIGTERM');
      // As PID 1 of a container (the real node) the kernel ignores a default-action SIGTERM: exit as if killed by it.
      if (process.pid === 1) process.exit(128 + 15);
      return;
    case 'graceful':
    case 'close-keepalive':
      app.beginTermination(config.shutdown === 'close-keepalive');
      setTimeout(() => {
        void app.close().then(() => log('all connections closed, exiting'));
      }, config.drainMs);
      return;
  }
}

async function main(): Promise<void> {
  const config = parseAppConfig(process.env, process.argv.slice(2));
  const app = createAppServer(config, log);
  let terminated = false;
  process.on('SIGTERM', () => {
    if (config.shutdown !== 'ignore' && terminated) return;
    terminated = true;
    onSigterm(config, app);
  });
  if (config.startDelayMs > 0) {
    log(`slow start: listening in ${config.startDelayMs}ms`);
    await new Promise((resolve) => setTimeout(resolve, config.startDelayMs));
  }
  // A SIGTERM during a slow start of a non-ignoring app ends it before it ever listens.
  if (terminated && config.shutdown !== 'ignore') return;
  await app.listen();
  const oom = config.faults.oomAfterMs;
  if (oom !== undefined) setTimeout(() => growMemory(log), Math.max(0, oom - performance.now()));
}

main().catch((err: unknown) => {
  process.stderr.write(`lab app failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
