#!/usr/bin/env node
// Re-renders bench/RESULTS.md from a stored run (bench/results/<date>-<mode>.json) with the current
// criteria, without measuring again. Usage: node bench/render.js bench/results/2026-11-22-full.json
import { readFileSync } from 'node:fs';
import { rejudge } from './lib/report.js';
import { writeResults } from './lib/results-file.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node bench/render.js bench/results/<date>-<mode>.json\n');
  process.exitCode = 2;
} else {
  writeResults(rejudge(JSON.parse(readFileSync(file, 'utf8'))), true);
}
