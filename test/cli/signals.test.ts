// Signals and the wrapped deploy command: the command's whole process group is stopped, a second
// signal quits at once with 128+signal, and a command that cannot run is caught before probing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliResult } from '../helpers/cli.js';
import { flipping, hanging, startServer } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A zombie (exited, not yet reaped by init) counts as gone. */
const alive = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/** Resolves (bounded) once the recording has its header: signal handlers are in place by then. */
async function untilRecording(path: string): Promise<void> {
  for (let i = 0; i < 400 && !(existsSync(path) && readFileSync(path, 'utf8').includes('"type":"header"')); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

const tmp = tempDir('zdprobe-wrap-');

/** Calls `then` once when the child's stderr first matches `text`. */
const onStderr = (text: RegExp, then: (c: ChildProcess, m: RegExpMatchArray) => void) => (c: ChildProcess): void => {
  let seen = '';
  let fired = false;
  c.stderr!.on('data', (d) => {
    seen += d;
    const m = seen.match(text);
    if (m && !fired) {
      fired = true;
      then(c, m);
    }
  });
};

const hungAsResult = (err: Error): CliResult => ({ code: -1, stdout: '', stderr: err.message });

test('SIGTERM while a wrapped command runs stops its whole process group, and the report is written', async () => {
  const srv = await startServer(flipping(1e9));
  let grandchild = 0;
  try {
    // The shell starts a background sleep that would hold the command's output pipes open.
    const r = await runCli(['probe', srv.url, '--rps', '10', '--warmup', '0s', '--', 'sleep 120 & echo grandchild $!; wait'], {
      timeoutMs: 25_000,
      onSpawn: onStderr(/grandchild (\d+)/, (c, m) => {
        grandchild = Number(m[1]);
        c.kill('SIGTERM');
      }),
    }).catch(hungAsResult);
    assert.notEqual(r.code, -1, `zdprobe hung: ${r.stderr}`);
    assert.equal(r.code, 1, 'a stopped command fails the gate');
    assert.match(r.stdout, /the wrapped command did not finish/);
    assert.ok(grandchild > 0, 'the command started its background child');
    assert.equal(alive(grandchild), false, 'the background child was stopped with its group');
  } finally {
    if (grandchild && alive(grandchild)) process.kill(grandchild, 'SIGKILL');
    await srv.close();
  }
});

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  test(`a second ${signal} quits at once with exit ${code}`, async () => {
    const srv = await startServer(hanging);
    try {
      // After the first signal the run waits for its wrapped command, which ignores SIGTERM, for
      // up to 5 s before killing it: the second signal comes in that wait, as soon as the first
      // one was acknowledged.
      const r = await runCli(['probe', srv.url, '--rps', '5', '--warmup', '0s', '--', 'trap "" TERM INT; echo ignoring; sleep 60'], {
        timeoutMs: 15_000,
        onSpawn: onStderr(/\[cmd\] ignoring/, (c) => {
          c.kill(signal);
          onStderr(/stopping/, (again) => void again.kill(signal))(c);
        }),
      }).catch(hungAsResult);
      assert.equal(r.code, code, r.stderr);
    } finally {
      await srv.close();
    }
  });
}

const refused: Array<[string, string[], RegExp]> = [
  ['a command that does not exist', ['--', 'no-such-deploy-tool-zd', 'apply'], /"no-such-deploy-tool-zd" was not found/],
  ['a run that ends before the command would start', ['-d', '1s', '--warmup', '5s', '--', 'true'], /ends the run before the command would start/],
];
for (const [name, args, message] of refused) {
  test(`${name}: exit 2, one line, before any request`, async () => {
    const srv = await startServer(flipping(1e9));
    try {
      const r = await runCli(['probe', srv.url, '--rps', '20', ...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.deepEqual(srv.did, {}, 'no request reached the target');
    } finally {
      await srv.close();
    }
  });
}

test('Ctrl-C against a hanging target records every request sent, those in flight as unfinished, and reports at once', async () => {
  const srv = await startServer(hanging);
  const rec = join(tmp, 'hanging.ndjson');
  try {
    const r = await runCli(['probe', srv.url, '--rps', '10', '--timeout', '60s', '--record', rec], {
      timeoutMs: 20_000,
      onSpawn: (c) => void untilRecording(rec).then(() => setTimeout(() => c.kill('SIGINT'), 1500)),
    }).catch(hungAsResult);
    assert.equal(r.code, 1, `requests without an outcome cannot pass the gate: ${r.stderr}`);
    const lines = readFileSync(rec, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const footer = lines.at(-1);
    assert.equal(footer.type, 'footer', 'the recording is complete');
    const s = footer.summary;
    assert.ok(s.totals.scheduled > 0);
    assert.equal(s.totals.ok + s.totals.failed + s.totals.late, s.totals.scheduled, 'each scheduled request counted once');
    assert.equal(s.errors.unfinished, s.totals.sent, 'every request sent was still in flight, and is recorded unfinished');
    assert.equal(lines.filter((l) => l.type === 'failure').length, s.totals.failed, 'each unfinished request is in the recording');
  } finally {
    await srv.close();
  }
});

test('a complete second reaches the recording within a quarter second or so, so SIGKILL loses little more than the second in progress', async () => {
  const srv = await startServer(flipping(1e9));
  const rec = join(tmp, 'sigkill.ndjson');
  const lags: number[] = [];
  try {
    await runCli(['probe', srv.url, '--rps', '20', '--record', rec], {
      timeoutMs: 20_000,
      onSpawn: (c) => {
        void (async () => {
          // Watch the file: when second k first appears, how long after its end is that?
          for (let i = 0; i < 400 && lags.length < 3; i++) {
            await new Promise((r) => setTimeout(r, 20));
            if (!existsSync(rec)) continue;
            const lines = readFileSync(rec, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
            const header = lines.find((l) => l.type === 'header');
            const seconds = lines.filter((l) => l.type === 'bucket').length;
            if (header && seconds > lags.length + 1) lags.push(Date.now() - (header.startedAt + (lags.length + 2) * 1000));
          }
          c.kill('SIGKILL');
        })();
      },
    });
    assert.equal(lags.length, 3, 'three seconds were seen arriving');
    // Written only at the next one-second tick, a second used to arrive about 1 s after it ended.
    assert.ok(Math.min(...lags) < 600, `a complete second arrived ${Math.min(...lags)} ms after it ended (lags ${lags.join(', ')})`);
  } finally {
    await srv.close();
  }
});
