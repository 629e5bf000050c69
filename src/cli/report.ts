// `zdprobe report FILE`: rebuild the report from a saved recording alone.
import type { Command } from 'commander';
import { ZdError } from '../errors.js';
import { readRecording } from '../record/ndjson.js';
import { createSummarizer } from '../record/summarize.js';
import { analyzeRun } from '../analyze/index.js';
import type { ClusterStatus, RecordLine } from '../types.js';
import { finishReport, reportFormatOption, type ReportFlags } from './output.js';

export function registerReport(program: Command): void {
  const cmd = program
    .command('report')
    .description('re-render the report (and re-check the gate) from a saved NDJSON recording')
    .argument('<file>', 'recording written by probe --record');
  reportFormatOption(cmd);
  cmd.action(async (file: string, flags: ReportFlags) => {
    const summarizer = createSummarizer();
    let footer: Extract<RecordLine, { type: 'footer' }> | undefined;
    let lines = 0;
    for await (const line of readRecording(file)) {
      summarizer.add(line);
      if (line.type === 'footer') footer = line;
      lines += 1;
    }
    if (lines === 0) throw new ZdError('input', `${file} is empty: it is not a zdprobe recording`);
    const cluster: ClusterStatus = footer?.summary.cluster ?? { watched: false, problems: [], gaps: [] };
    const summary = analyzeRun(summarizer.summary(), summarizer.data(), cluster);
    await finishReport(summary, flags);
    process.exitCode = summary.gate.passed ? 0 : 1;
  });
}
