// Rebuilds a run's final summary from its recording alone, through the same stages as the live run.
import type { ClusterStatus, RecordLine, Summary } from '../types.js';
import { addLine, newRecording, runDataOf, trafficByTarget } from '../record/summarize.js';
import { analyzeRun } from '../analyze/index.js';

const NOT_WATCHED: ClusterStatus = { watched: false, problems: [], gaps: [] };

/** Undefined when there was not a single line. */
export async function summaryFromLines(lines: AsyncIterable<RecordLine> | Iterable<RecordLine>): Promise<Summary | undefined> {
  const recording = newRecording();
  let footer: Extract<RecordLine, { type: 'footer' }> | undefined;
  let count = 0;
  for await (const line of lines) {
    addLine(recording, line);
    if (line.type === 'footer') footer = line;
    count += 1;
  }
  if (count === 0) return undefined;
  // What the watcher reported is known only from the footer; without one, nothing was watched.
  return analyzeRun({ ...trafficByTarget(recording), data: runDataOf(recording), cluster: footer?.summary.cluster ?? NOT_WATCHED });
}
