// Rebuilds a run's final summary from its recording alone, through the same stages as the live run.
import type { ClusterStatus, GateConfig, ProbeConfig, RecordLine, Summary } from '../types.js';
import { addLine, newRecording, runDataOf, trafficByTarget } from '../record/summarize.js';

const NOT_WATCHED: ClusterStatus = { watched: false, problems: [], gaps: [] };

/** New thresholds for a recorded run: they replace the recorded gate (an expected version, every target's). */
export type Regate = GateConfig;

function regated(line: RecordLine, gate: Regate | undefined): RecordLine {
  if (!gate || line.type !== 'header') return line;
  const withGate = (c: ProbeConfig): ProbeConfig => ({ ...c, gate: { ...gate } });
  return { ...line, config: withGate(line.config), ...(line.targets ? { targets: line.targets.map(withGate) } : {}) };
}

/** Undefined when there was not a single line. */
export async function summaryFromLines(lines: AsyncIterable<RecordLine> | Iterable<RecordLine>, gate?: Regate): Promise<Summary | undefined> {
  const recording = newRecording();
  let footer: Extract<RecordLine, { type: 'footer' }> | undefined;
  let count = 0;
  for await (const line of lines) {
    addLine(recording, regated(line, gate));
    if (line.type === 'footer') footer = line;
    count += 1;
  }
  if (count === 0) return undefined;
  // What the watcher reported is known only from the footer; without one, nothing was watched.
  const { analyzeRunLazily } = await import('../analyze/analyze-lazily.js'); // loaded when used: `probe` reaches this module through run/index
  return analyzeRunLazily({ ...trafficByTarget(recording), data: runDataOf(recording), cluster: footer?.summary.cluster ?? NOT_WATCHED });
}
