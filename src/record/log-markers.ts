// A recording written to a pod's log (stdout) sits between two marker lines, so the logs of every
// pod of a Job, concatenated or prefixed by `kubectl logs --prefix`, split back into recordings.
import type { RecordLine } from '../types.js';
import { ZdError } from '../errors.js';
import { RECORDING_FORMAT, formatOf, upgradeLine } from './format.js';

const TAG = '#zdprobe-recording';
export const beginMarker = (name: string): string => `${TAG} begin ${name}\n`;
export const endMarker = (name: string): string => `${TAG} end ${name}\n`;

export interface LoggedRecording {
  /** The marker's name, with kubectl's `[pod/…/container]` prefix when the log had one. */
  name: string;
  lines: RecordLine[];
  /** False when the end marker never came (the pod was killed mid-run). */
  complete: boolean;
  format: number;
}

/** `[pod/name/container] text` (kubectl logs --prefix) -> its prefix and text. */
function unprefix(raw: string): { prefix: string; text: string } {
  const m = /^\[([^\]]+)\] (.*)$/.exec(raw);
  return m ? { prefix: m[1]!, text: m[2]! } : { prefix: '', text: raw };
}

/**
 * Every marked recording in a log, in order of their begin markers. Lines between markers that are
 * not JSON (the prober's stderr, interleaved by the container runtime) are skipped; a log stream
 * (prefix) holds one open recording at a time.
 */
export function splitLogs(text: string, source = 'logs'): LoggedRecording[] {
  const found: LoggedRecording[] = [];
  const open = new Map<string, LoggedRecording>();
  for (const raw of text.split('\n')) {
    const { prefix, text: line } = unprefix(raw.replace(/\r$/, ''));
    if (line.startsWith(`${TAG} `)) marker(line, prefix, open, found);
    else if (line.startsWith('{') && open.has(prefix)) recordLine(line, prefix, open, source);
  }
  if (!found.length) throw new ZdError('input', `${source}: no "${TAG} begin" marker: give the logs of pods run by zdprobe job (probe --record-marker)`);
  return found;
}

function marker(line: string, prefix: string, open: Map<string, LoggedRecording>, found: LoggedRecording[]): void {
  const [, what, name = ''] = line.split(' ');
  if (what === 'begin') {
    const rec: LoggedRecording = { name: prefix ? `${prefix} ${name}` : name, lines: [], complete: false, format: RECORDING_FORMAT };
    open.set(prefix, rec);
    found.push(rec);
  } else if (what === 'end' && open.has(prefix)) {
    open.get(prefix)!.complete = true;
    open.delete(prefix);
  }
}

function recordLine(line: string, prefix: string, open: Map<string, LoggedRecording>, source: string): void {
  const rec = open.get(prefix)!;
  let parsed: RecordLine;
  try {
    parsed = JSON.parse(line) as RecordLine;
  } catch {
    // a line cut off (a pod killed mid-write) ends its recording there, as in a file
    open.delete(prefix);
    return;
  }
  if (parsed.type === 'header') rec.format = formatOf(parsed);
  if (rec.format > RECORDING_FORMAT) throw new ZdError('input', `${source}: recording "${rec.name}" is format ${rec.format}; this zdprobe reads formats up to ${RECORDING_FORMAT}: upgrade zdprobe`);
  rec.lines.push(upgradeLine(parsed, rec.format));
}
