// `zdprobe merge A.ndjson B.ndjson ...`: one exact report of several recordings of the same targets.
import type { Command } from 'commander';
import type { RecordLine } from '../types.js';
import { readFileSync } from 'node:fs';
import { ZdError } from '../errors.js';
import { finishReport, reportFormatOption, type ReportFlags } from './output.js';

async function linesOf(path: string): Promise<RecordLine[]> {
  const { readRecording } = await import('../record/ndjson.js');
  const lines: RecordLine[] = [];
  for await (const line of readRecording(path)) lines.push(line);
  return lines;
}

export function registerMerge(program: Command): void {
  const cmd = program
    .command('merge')
    .description('one report of several recordings of the same targets (e.g. one per node): counts add, latency histograms merge exactly')
    .argument('[files...]', 'recordings written by probe --record')
    .option('--from-logs <file>', "split pods' logs into their recordings by marker lines (kubectl logs --prefix ... | zdprobe merge --from-logs -)");
  reportFormatOption(cmd);
  cmd.action(async (files: string[], flags: ReportFlags & { fromLogs?: string }) => {
    const sources = [];
    for (const name of files) sources.push({ name, lines: await linesOf(name) });
    if (flags.fromLogs !== undefined) sources.push(...(await fromLogs(flags.fromLogs)));
    if (!sources.length) throw new ZdError('usage', 'give the recordings to merge, or pods\' logs with --from-logs FILE (- for stdin)');
    const { mergeRuns } = await import('../run/merge-runs.js'); // the analysis loads only for this command
    const summary = await mergeRuns(sources);
    await finishReport(summary, flags);
    process.exitCode = summary.gate.passed ? 0 : 1;
  });
}

async function fromLogs(path: string): Promise<Array<{ name: string; lines: RecordLine[] }>> {
  const { splitLogs } = await import('../record/log-markers.js');
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (err) {
    throw new ZdError('input', `--from-logs ${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return splitLogs(text, path === '-' ? 'stdin' : path).map(({ name, lines }) => ({ name, lines }));
}
