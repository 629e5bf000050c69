// NDJSON recordings: one RecordLine per line. The writer appends whole lines with synchronous
// writes at least once a second, so a crashed or killed run is readable up to its last flush.
import { closeSync, createReadStream, openSync, statSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { RecordLine } from '../types.js';
import { ZdError } from '../errors.js';
import { TOOL_VERSION } from '../version.js';
import { RECORDING_FORMAT, formatOf, upgradeLine } from './format.js';
import { beginMarker, endMarker } from './log-markers.js';

export interface RecordWriter {
  write(line: RecordLine): void;
  flush(): void;
  close(): void;
  /** Why the recording stopped being written mid-run (one line), or undefined while it is whole. */
  problem(): string | undefined;
}

/** Written to directly: reopening /proc/self/fd/1 fails when stdout is a socket (ENXIO), as under a CI runner. */
const STD_FDS: Record<string, number | undefined> = { '/dev/stdout': 1, '/dev/stderr': 2 };

/**
 * Opens the recording before any request, so a path that cannot be written is bad input (exit 2).
 * A write that fails later (disk full, file too large, I/O error) never throws into the run: the
 * writer stops, keeps what it wrote, and says why through problem(); the run goes on and reports.
 */
export function openRecordWriter(path: string, opts: { marker?: string } = {}): RecordWriter {
  if (opts.marker !== undefined && !/^\S+$/.test(opts.marker)) throw new ZdError('usage', `--record-marker "${opts.marker}" must be one word (no spaces): it names the recording on its marker lines`);
  let fd: number;
  const std = STD_FDS[path];
  try {
    fd = std ?? openSync(path, 'w');
  } catch (err) {
    throw new ZdError('input', `cannot write the recording to ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}; choose a writable path with --record`);
  }
  let pending: string[] = opts.marker === undefined ? [] : [beginMarker(opts.marker)];
  let problem: string | undefined;
  const stop = (err: unknown): void => {
    problem = `the recording ${path} stopped being written mid-run (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); it holds only what came before and is marked incomplete`;
    pending = [];
    try {
      if (std === undefined) closeSync(fd);
    } catch {
      // the descriptor is already unusable; the problem above is what the user needs
    }
    fd = -1;
  };
  const flush = (): void => {
    if (!pending.length || fd < 0) return;
    const bytes = Buffer.from(pending.join(''));
    pending = [];
    try {
      // a short write (a pipe, a nearly full disk) is continued, never silently cut
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
    } catch (err) {
      stop(err);
    }
  };
  return {
    write: (line) => void (fd >= 0 && pending.push(JSON.stringify(line) + '\n')),
    flush,
    close() {
      if (opts.marker !== undefined && fd >= 0) pending.push(endMarker(opts.marker));
      flush();
      if (fd >= 0 && std === undefined) closeSync(fd);
      fd = -1;
    },
    problem: () => problem,
  };
}

function tooNew(path: string, format: number, line: RecordLine): ZdError {
  const by = line.type === 'header' && typeof line.version === 'string' ? ` by zdprobe ${line.version}` : '';
  return new ZdError('input', `${path} is a format ${format} recording${by}; this zdprobe (${TOOL_VERSION}) reads formats up to ${RECORDING_FORMAT}: upgrade zdprobe to report it`);
}

/**
 * Reads a recording as today's RecordLines (older formats upgraded here, newer ones refused);
 * a truncated last line (a run killed mid-write) is skipped, a corrupt line elsewhere is an error.
 */
export async function* readRecording(path: string): AsyncGenerator<RecordLine> {
  const stream = path === '-' ? process.stdin.setEncoding('utf8') : await openRecording(path);
  if (path === '-') path = 'stdin';
  let lineNo = 0;
  let bad: { lineNo: number; message: string } | undefined;
  let format = RECORDING_FORMAT;
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    lineNo += 1;
    if (!text.trim()) continue;
    if (bad) throw new ZdError('input', `${path}:${bad.lineNo}: not a zdprobe recording line (${bad.message})`);
    let line: RecordLine;
    try {
      line = parseLine(text, lineNo);
      if (line.type === 'header') format = formatOf(line);
      if (format <= RECORDING_FORMAT) line = upgradeLine(line, format);
    } catch (err) {
      // a bad first line means this is not a recording at all; a bad last line is a run killed mid-write
      if (lineNo === 1) throw new ZdError('input', `${path}:1: not a zdprobe recording (${(err as Error).message}); give the NDJSON file written by probe --record (a --json summary is not one)`);
      bad = { lineNo, message: (err as Error).message };
      continue;
    }
    if (format > RECORDING_FORMAT) throw tooNew(path, format, line);
    yield line;
  }
}

async function openRecording(path: string): Promise<NodeJS.ReadableStream> {
  // a directory opens fine and fails on the first read, as an EISDIR the user cannot place
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw new ZdError('input', `${path} is a directory: give the recording file written by probe --record`);
  const stream = createReadStream(path, 'utf8');
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (err: NodeJS.ErrnoException) => reject(new ZdError('input', `cannot read recording ${path}: ${err.code ?? err.message}`)));
  });
  return stream;
}

function parseLine(text: string, lineNo: number): RecordLine {
  const line = JSON.parse(text) as RecordLine;
  if (typeof line !== 'object' || line === null || typeof line.type !== 'string') throw new Error('no "type" field');
  if (lineNo === 1 && line.type !== 'header') throw new Error('the first line must be the header');
  return line;
}
