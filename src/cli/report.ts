// `zdprobe report FILE|-`: rebuild the report from a saved recording alone, optionally re-gated.
import type { Command } from 'commander';
import { ZdError } from '../errors.js';
import type { Regate } from '../run/index.js';
import { finishReport, reportFormatOption, type ReportFlags } from './output.js';
import { parseCount, parsePositive, parseRate } from './parse.js';

interface GateFlags {
  maxFailures?: string;
  maxFailureRate?: string;
  maxP99?: string;
  expectVersion?: string;
}

/** The thresholds given, replacing the recorded gate; undefined when none is given. */
function regate(f: GateFlags): Regate | undefined {
  if (f.maxFailures === undefined && f.maxFailureRate === undefined && f.maxP99 === undefined && f.expectVersion === undefined) return undefined;
  const gate: Regate = {};
  if (f.maxFailures !== undefined) gate.maxFailures = parseCount(f.maxFailures, '--max-failures');
  if (f.maxFailureRate !== undefined) gate.maxFailureRate = parseRate(f.maxFailureRate, '--max-failure-rate');
  if (f.maxP99 !== undefined) gate.maxP99Ms = parsePositive(f.maxP99, '--max-p99');
  if (f.expectVersion !== undefined) gate.expectVersion = f.expectVersion;
  return gate;
}

export function registerReport(program: Command): void {
  const cmd = program
    .command('report')
    .description('re-render the report (and re-check the gate) from a saved NDJSON recording')
    .argument('<file>', 'recording written by probe --record, or - for standard input')
    .option('--max-failures <n>', 're-gate: dropped requests allowed (any gate flag replaces the recorded gate)')
    .option('--max-failure-rate <rate>', 're-gate: dropped share allowed, e.g. 0.1%')
    .option('--max-p99 <ms>', 're-gate: p99 latency allowed in ms')
    .option('--expect-version <v>', 're-gate: the final seconds must be 100% this version');
  reportFormatOption(cmd);
  cmd.action(async (file: string, flags: ReportFlags & GateFlags) => {
    // the reader and the analysis load only for this command
    const [{ readRecording }, { summaryFromLines }] = await Promise.all([import('../record/ndjson.js'), import('../run/read-run.js')]);
    const summary = await summaryFromLines(readRecording(file), regate(flags));
    if (!summary) throw new ZdError('input', `${file === '-' ? 'stdin' : file} is empty: it is not a zdprobe recording`);
    await finishReport(summary, flags);
    process.exitCode = summary.gate.passed ? 0 : 1;
  });
}
