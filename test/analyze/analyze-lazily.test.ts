// The run's analysis with only the stages a run needs loaded is the whole analysis: compared on the
// real-node recordings as recorded (cluster data and failures), without their cluster lines, and
// without their failures too (a clean run without a watch: nothing of the causes, rules or splits).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ClusterStatus, RecordLine } from '../../src/types.js';
import { addLine, newRecording, runDataOf, trafficByTarget } from '../../src/record/summarize.js';
import { analyzeRun, type RunInput } from '../../src/analyze/index.js';
import { analyzeRunLazily } from '../../src/analyze/analyze-lazily.js';

const DIR = fileURLToPath(new URL('../../../test/fixtures/real/', import.meta.url));
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.ndjson')).sort();
const NOT_WATCHED: ClusterStatus = { watched: false, problems: [], gaps: [] };

function inputOf(lines: RecordLine[]): RunInput {
  const recording = newRecording();
  for (const line of lines) if (line.type !== 'footer') addLine(recording, line);
  return { ...trafficByTarget(recording), data: runDataOf(recording), cluster: NOT_WATCHED };
}

const CLUSTER_LINES = new Set<RecordLine['type']>(['cluster', 'config']);

test('the lazily loaded analysis gives analyzeRun\'s summary, with and without cluster data and failures', async () => {
  const variants: Array<[string, (l: RecordLine) => boolean]> = [
    ['as recorded', () => true],
    ['no cluster lines', (l) => !CLUSTER_LINES.has(l.type)],
    ['no cluster lines, no failures', (l) => !CLUSTER_LINES.has(l.type) && l.type !== 'failure'],
  ];
  let clean = 0;
  for (const file of FILES) {
    const lines = readFileSync(`${DIR}${file}`, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as RecordLine);
    for (const [name, keep] of variants) {
      const input = inputOf(lines.filter(keep));
      const lazily = await analyzeRunLazily(structuredClone(input));
      assert.deepEqual(lazily, analyzeRun(input), `${file}, ${name}`);
      if (lazily.incidents.length === 0 && lazily.findings.length === 0) clean += 1;
    }
  }
  assert.ok(clean >= FILES.length, `the clean variants were analysed (${clean})`);
});
