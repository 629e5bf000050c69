import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli } from '../helpers/cli.js';
import { answer, startServer } from '../helpers/servers.js';

/** Preloads module hooks that log every ES module the CLI resolves (CommonJS require()s are not seen). */
function moduleLog(dir: string): { env: NodeJS.ProcessEnv; loaded(): string[] } {
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(hooks, `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(${JSON.stringify(join(dir, 'loaded.txt'))}, r.url + '\\n');
  return r;
}\n`);
  const register = join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  writeFileSync(join(dir, 'loaded.txt'), '');
  return {
    env: { NODE_OPTIONS: `--import ${pathToFileURL(register).href}` },
    loaded: () => readFileSync(join(dir, 'loaded.txt'), 'utf8').split('\n').filter(Boolean),
  };
}

test('probe --no-watch of an http:// target loads neither undici, the Kubernetes client, YAML, the lab, the watcher, the other report formats, the other commands, prom-client nor the analysis a clean run does not need', async () => {
  const srv = await startServer((_n, _req, res) => answer(res, 200, '1'));
  const dir = mkdtempSync(join(tmpdir(), 'zdprobe-loads-'));
  try {
    const log = moduleLog(dir);
    const r = await runCli(['probe', srv.url, '--rps', '10', '--duration', '0.5s', '--no-watch'], { env: log.env });
    assert.equal(r.code, 0, r.stderr);
    const loaded = log.loaded();
    assert.ok(loaded.some((u) => u.endsWith('/dist/src/report/terminal.js')), 'the log sees the table renderer the run used');
    const unused = ['/dist/src/send/undici-sender.js', '/node_modules/@kubernetes/', '/node_modules/yaml/', '/dist/src/lab/', '/dist/src/watch/index.js', '/dist/src/report/markdown.js', '/dist/src/report/junit.js', '/dist/src/report/html.js',
      '/dist/src/run/index.js', '/dist/src/run/serve-metrics.js', '/dist/src/run/run-metrics.js', '/node_modules/prom-client/', '/dist/src/run/merge-runs.js', '/dist/src/run/read-run.js',
      ...['report', 'merge', 'job', 'image', 'lab', 'lint', 'demo'].map((c) => `/dist/src/cli/${c}.js`),
      // a clean run without a watch: no incident causes, config rules or split checks
      '/dist/src/analyze/index.js', '/dist/src/analyze/causes/', '/dist/src/analyze/rules/', '/dist/src/analyze/splits/', '/dist/src/kube/routing/'];
    assert.deepEqual(loaded.filter((u) => unused.some((part) => u.includes(part))), []);
  } finally {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
