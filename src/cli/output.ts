// Shared by `probe` and `report`: print the report in the chosen format, write --json.
import { appendFileSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { Summary } from '../types.js';
import { ZdError } from '../errors.js';
import { FORMATS, type Format } from '../report/formats.js';
// A renderer loads when its report is written, not when the CLI starts; only the one asked for.
import { renderFormat } from '../report/render-format.js';

export interface ReportFlags {
  format: Format;
  json?: string;
}

export function reportFormatOption(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <format>', 'report format on stdout').choices(FORMATS).default('table'))
    .option('--json <file>', 'also write the summary as JSON to this file');
}

export async function finishReport(summary: Summary, flags: ReportFlags): Promise<void> {
  process.stdout.write(await renderFormat(summary, flags.format));
  if (flags.json) writeJson(flags.json, summary);
  await appendStepSummary(summary, process.env['GITHUB_STEP_SUMMARY']);
}

/** In GitHub Actions the job page shows the Markdown report too. */
export async function appendStepSummary(summary: Summary, path: string | undefined): Promise<void> {
  if (!path) return;
  const markdown = await renderFormat(summary, 'md');
  try {
    appendFileSync(path, markdown + '\n');
  } catch (err) {
    throw new ZdError('input', `GITHUB_STEP_SUMMARY ${path}: cannot append (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

export function writeJson(path: string, summary: Summary): void {
  writeOrExplain(path, JSON.stringify(summary, null, 2) + '\n', '--json');
}

function writeOrExplain(path: string, text: string, flag: string): void {
  try {
    writeFileSync(path, text);
  } catch (err) {
    throw new ZdError('input', `${flag} ${path}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); choose a writable path`);
  }
}
