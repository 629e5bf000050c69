// Format versions of the recording and the `--json` summary, and the one place old recordings are read.
// Format 1 (no `format` field): cluster events kept their fields in a `detail` bag.
// Format 2: cluster events are typed, their fields flat (src/watch/cluster-event.ts).
import type { Incident, RecordLine, Summary } from '../types.js';
import { upgradeEvent, type LegacyEvent } from '../watch/legacy-event.js';

/** The recording format this version writes and the newest it reads. */
export const RECORDING_FORMAT = 2;
/** The `--json` summary format this version writes (docs/schema/summary.schema.json). */
export const SUMMARY_FORMAT = 2;

/** The format a header line declares; a header without one is format 1. */
export const formatOf = (header: { format?: unknown }): number =>
  typeof header.format === 'number' ? header.format : 1;

type OldSummary = Omit<Summary, 'format' | 'incidents' | 'clusterEvents'> & {
  incidents: Array<Omit<Incident, 'events'> & { events: LegacyEvent[] }>;
  clusterEvents?: LegacyEvent[];
};

function upgradeSummary(s: OldSummary): Summary {
  const { clusterEvents, ...rest } = s;
  return {
    ...rest,
    format: SUMMARY_FORMAT,
    incidents: s.incidents.map((i) => ({ ...i, events: i.events.map(upgradeEvent) })),
    ...(clusterEvents ? { clusterEvents: clusterEvents.map(upgradeEvent) } : {}),
  };
}

/** One parsed line of a recording written in `format`, as today's RecordLine. */
export function upgradeLine(line: RecordLine, format: number): RecordLine {
  if (format >= 2) return line;
  if (line.type === 'header') return { ...line, format };
  if (line.type === 'cluster') return { type: 'cluster', event: upgradeEvent(line.event as unknown as LegacyEvent) };
  if (line.type === 'footer') return { ...line, summary: upgradeSummary(line.summary as unknown as OldSummary) };
  return line;
}
