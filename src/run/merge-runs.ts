// Several recordings of the same targets (one per node, or per pod of an Indexed Job) read as one
// run: counts add, HDR histograms merge exactly (the merged p99 is the p99 of all requests), the
// timelines align by wall clock, failures and cluster events interleave (events seen by several
// watchers once), and the gate and split checks run on the whole. Each recording stays visible in
// `sources`.
import type { ClusterEvent, ClusterStatus, ProbeConfig, RecordLine, Summary } from '../types.js';
import { ZdError } from '../errors.js';
import { addLine, newRecording, runDataOf, targetsOf, totalsOf, trafficByTarget } from '../record/summarize.js';

export interface MergeSource {
  name: string;
  lines: RecordLine[];
}

type Header = Extract<RecordLine, { type: 'header' }>;
type Footer = Extract<RecordLine, { type: 'footer' }>;

const headerOf = (s: MergeSource): Header => {
  const h = s.lines[0];
  if (h?.type !== 'header') throw new ZdError('input', `${s.name} has no header line: it is not a zdprobe recording`);
  return h;
};

const targetKey = (h: Header): string => targetsOf(h).map((t) => `${t.name} ${t.url}`).sort().join(', ');

/** One header for the whole: the earliest start, and each target's rate summed over the recordings. */
function mergedHeader(headers: Header[]): Header {
  const first = headers.reduce((a, b) => (b.startedAt < a.startedAt ? b : a));
  const rate = (name: string | undefined): number => headers.reduce((sum, h) => sum + (targetsOf(h).find((t) => t.name === name)?.rps ?? 0), 0);
  const targets: ProbeConfig[] = targetsOf(first).map((t) => ({ ...t, rps: rate(t.name) }));
  return { ...first, config: targets[0]!, ...(targets.length > 1 ? { targets } : {}) };
}

/** The same transition seen by two watchers differs only in when each received it. */
function eventKey(e: ClusterEvent): string {
  const { at, ...rest } = e;
  return JSON.stringify(rest) + (e.serverAt === undefined ? `@${Math.round(at / 2000)}` : '');
}

function mergedCluster(footers: Footer[]): ClusterStatus {
  const statuses = footers.map((f) => f.summary.cluster);
  const nodes = new Map(statuses.flatMap((c) => c.nodes ?? []).map((n) => [n.name, n]));
  return {
    watched: statuses.some((c) => c.watched),
    problems: [...new Set(statuses.flatMap((c) => c.problems))],
    gaps: statuses.flatMap((c) => c.gaps),
    ...(nodes.size ? { nodes: [...nodes.values()] } : {}),
  };
}

export async function mergeRuns(sources: MergeSource[]): Promise<Summary> {
  if (sources.length < 2) throw new ZdError('input', 'merge needs two or more recordings');
  const headers = sources.map(headerOf);
  const key = targetKey(headers[0]!);
  const odd = sources.find((_, i) => targetKey(headers[i]!) !== key);
  if (odd) throw new ZdError('input', `${odd.name} probes other targets (${targetKey(headerOf(odd))}) than ${sources[0]!.name} (${key}): only recordings of the same targets merge`);
  const header = mergedHeader(headers);
  const recording = newRecording();
  addLine(recording, header);
  const seenEvents = new Set<string>();
  const seenSnapshots = new Set<string>();
  let command = false;
  for (const [i, source] of sources.entries()) {
    const shift = Math.round((headers[i]!.startedAt - header.startedAt) / 1000); // whole seconds: buckets are per second
    for (const line of source.lines.slice(1)) {
      if (line.type === 'bucket') addLine(recording, { ...line, bucket: { ...line.bucket, t: line.bucket.t + shift } });
      else if (line.type === 'prober') addLine(recording, { ...line, second: { ...line.second, t: line.second.t + shift } });
      else if (line.type === 'cluster') {
        const k = eventKey(line.event);
        if (!seenEvents.has(k)) addLine(recording, line);
        seenEvents.add(k);
      } else if (line.type === 'config') {
        const k = JSON.stringify(line.snapshot.objects);
        if (!seenSnapshots.has(k)) addLine(recording, line);
        seenSnapshots.add(k);
      } else if (line.type === 'command') {
        if (!command) addLine(recording, line);
        command = true;
      } else if (line.type !== 'footer' && line.type !== 'header') addLine(recording, line);
    }
  }
  const footers = sources.map((s) => s.lines.at(-1)).filter((l): l is Footer => l?.type === 'footer');
  const complete = footers.length === sources.length;
  const endedAt = Math.max(...sources.map((s, i) => (s.lines.at(-1)?.type === 'footer' ? (s.lines.at(-1) as Footer).endedAt : headers[i]!.startedAt)));
  recording.events.sort((a, b) => a.at - b.at);
  const { analyzeRunLazily } = await import('../analyze/analyze-lazily.js'); // loaded when used: `probe` reaches this module through run/index
  const summary = await analyzeRunLazily({ ...trafficByTarget(recording, { endedAt, complete }), data: runDataOf(recording), cluster: mergedCluster(footers) });
  return { ...summary, sources: sources.map((s, i) => sourceView(s, headers[i]!)) };
}

function sourceView(s: MergeSource, h: Header): NonNullable<Summary['sources']>[number] {
  const r = newRecording();
  for (const line of s.lines) addLine(r, line);
  const footer = s.lines.at(-1);
  return { name: s.name, startedAt: h.startedAt, endedAt: footer?.type === 'footer' ? footer.endedAt : h.startedAt, complete: footer?.type === 'footer', totals: totalsOf(r) };
}
