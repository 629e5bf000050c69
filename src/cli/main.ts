// Entry point: one commander program, one file per command. Only src/cli/ may exit or print.
import { Command, CommanderError } from 'commander';
import { exitCodeOf, ZdError } from '../errors.js';
import { TOOL_VERSION } from '../version.js';

/** Each command's module, in the order `--help` lists them. */
const COMMANDS: ReadonlyArray<[string, () => Promise<(program: Command) => void>]> = [
  ['probe', async () => (await import('./probe.js')).registerProbe],
  ['report', async () => (await import('./report.js')).registerReport],
  ['merge', async () => (await import('./merge.js')).registerMerge],
  ['job', async () => (await import('./job.js')).registerJob],
  ['image', async () => (await import('./image.js')).registerImage],
  ['lab', async () => (await import('./lab.js')).registerLab],
  ['lint', async () => (await import('./lint.js')).registerLint],
  ['demo', async () => (await import('./demo.js')).registerDemo],
];

const program = new Command('zdprobe')
  .description('Prove a Kubernetes release dropped no request.')
  .version(TOOL_VERSION)
  .showSuggestionAfterError(true)
  .exitOverride()
  .configureOutput({ outputError: (str, write) => write(str.split('\n')[0] + '\n') });

// `zdprobe report run.ndjson | head`: the reader left; that is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') return;
  process.stderr.write(`zdprobe: cannot write the report to stdout (${err.code ?? err.message})\n`);
  process.exit(3);
});

// `zdprobe probe ...` loads only probe's module; the root help, --version and a mistyped command
// (commander suggests the nearest name) need them all.
const named = COMMANDS.filter(([name]) => name === process.argv[2]);
for (const register of await Promise.all((named.length ? named : COMMANDS).map(([, load]) => load()))) register(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // help and version also arrive here, with exit code 0
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else {
    const msg = err instanceof ZdError ? err.message : `internal error: ${(err as Error)?.message ?? String(err)}`;
    process.stderr.write(`zdprobe: ${msg}\n`);
    process.exitCode = exitCodeOf(err);
  }
}
