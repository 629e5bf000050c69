// `zdprobe merge A.ndjson B.ndjson ...`: one exact report of several recordings of the same targets.
import type { Command } from 'commander';
import type { RecordLine } from '../types.js';
import { readRecording } from '../record/ndjson.js';
import { finishReport, reportFormatOption, type ReportFlags } from './output.js';

async function linesOf(path: string): Promise<RecordLine[]> {
  const lines: RecordLine[] = [];
  for await (const line of readRecording(path)) lines.push(line);
  return lines;
}

export function registerMerge(program: Command): void {
  const cmd = program
    .command('merge')
    .description('one report of several recordings of the same targets (e.g. one per node): counts add, latency histograms merge exactly')
    .argument('<files...>', 'recordings written by probe --record');
  reportFormatOption(cmd);
  cmd.action(async (files: string[], flags: ReportFlags) => {
    const sources = [];
    for (const name of files) sources.push({ name, lines: await linesOf(name) });
    const { mergeRuns } = await import('../run/index.js'); // the analysis loads only for this command
    const summary = await mergeRuns(sources);
    await finishReport(summary, flags);
    process.exitCode = summary.gate.passed ? 0 : 1;
  });
}
