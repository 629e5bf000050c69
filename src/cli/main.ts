// Entry point: one commander program, one file per command. Only src/cli/ may exit or print.
import { Command, CommanderError } from 'commander';
import { exitCodeOf, ZdError } from '../errors.js';
import { TOOL_VERSION } from '../version.js';
import { registerProbe } from './probe.js';
import { registerReport } from './report.js';
import { registerLab } from './lab.js';
import { registerLint } from './lint.js';
import { registerDemo } from './demo.js';
import { registerMerge } from './merge.js';
import { registerJob } from './job.js';
import { registerImage } from './image.js';

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

registerProbe(program);
registerReport(program);
registerMerge(program);
registerJob(program);
registerImage(program);
registerLab(program);
registerLint(program);
registerDemo(program);

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
