// Stores a run as JSON under bench/results/ and puts its markdown section into bench/RESULTS.md,
// replacing the section of the same date and mode (hand-written text outside sections is kept).
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './tools.js';
import { renderRun } from './report.js';

const END = '<!-- /bench -->';

export function writeResults(run, write) {
  const dir = join(REPO, 'bench/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${run.date}-${run.mode}.json`), JSON.stringify(run, null, 1));
  if (!write) return;
  const file = join(REPO, 'bench/RESULTS.md');
  const begin = `<!-- bench:${run.date}:${run.mode} -->`;
  const section = `${begin}\n${renderRun(run)}${END}\n`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# zdprobe benchmark results\n\n';
  const at = text.indexOf(begin);
  const next = at < 0 ? `${text.trimEnd()}\n\n${section}` : text.slice(0, at) + section + text.slice(text.indexOf(END, at) + END.length + 1);
  writeFileSync(file, next);
}
