// `zdprobe report FILE`: rebuild the report from a saved recording alone.
import type { Command } from 'commander';
import { ZdError } from '../errors.js';
import { readRecording } from '../record/ndjson.js';
import { summaryFromLines } from '../run/index.js';
import { finishReport, reportFormatOption, type ReportFlags } from './output.js';

export function registerReport(program: Command): void {
  const cmd = program
    .command('report')
    .description('re-render the report (and re-check the gate) from a saved NDJSON recording')
    .argument('<file>', 'recording written by probe --record');
  reportFormatOption(cmd);
  cmd.action(async (file: string, flags: ReportFlags) => {
    const summary = await summaryFromLines(readRecording(file));
    if (!summary) throw new ZdError('input', `${file} is empty: it is not a zdprobe recording`);
    await finishReport(summary, flags);
    process.exitCode = summary.gate.passed ? 0 : 1;
  });
}
