// NDJSON recordings: one RecordLine per line. The writer appends whole lines with synchronous
// writes at least once a second, so a crashed or killed run is readable up to its last flush.
import { closeSync, createReadStream, openSync, statSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { RecordLine } from '../types.js';
import { ZdError } from '../errors.js';

export interface RecordWriter {
  write(line: RecordLine): void;
  flush(): void;
  close(): void;
}

export function openRecordWriter(path: string): RecordWriter {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (err) {
    throw new ZdError('input', `cannot write the recording to ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}; choose a writable path with --record`);
  }
  let pending: string[] = [];
  const flush = (): void => {
    if (!pending.length || fd < 0) return;
    const text = pending.join('');
    pending = [];
    writeSync(fd, text);
  };
  return {
    write: (line) => void pending.push(JSON.stringify(line) + '\n'),
    flush,
    close() {
      flush();
      if (fd >= 0) closeSync(fd);
      fd = -1;
    },
  };
}

/** Reads a recording; a truncated last line (a run killed mid-write) is skipped, a corrupt line elsewhere is an error. */
export async function* readRecording(path: string): AsyncGenerator<RecordLine> {
  // a directory opens fine and fails on the first read, as an EISDIR the user cannot place
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw new ZdError('input', `${path} is a directory: give the recording file written by probe --record`);
  const stream = createReadStream(path, 'utf8');
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (err: NodeJS.ErrnoException) => reject(new ZdError('input', `cannot read recording ${path}: ${err.code ?? err.message}`)));
  });
  await opened;
  let lineNo = 0;
  let bad: { lineNo: number; message: string } | undefined;
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    lineNo += 1;
    if (!text.trim()) continue;
    if (bad) throw new ZdError('input', `${path}:${bad.lineNo}: not a zdprobe recording line (${bad.message})`);
    let line: RecordLine;
    try {
      line = parseLine(text, lineNo);
    } catch (err) {
      // a bad first line means this is not a recording at all; a bad last line is a run killed mid-write
      if (lineNo === 1) throw new ZdError('input', `${path}:1: not a zdprobe recording (${(err as Error).message}); give the NDJSON file written by probe --record (a --json summary is not one)`);
      bad = { lineNo, message: (err as Error).message };
      continue;
    }
    yield line;
  }
}

function parseLine(text: string, lineNo: number): RecordLine {
  const line = JSON.parse(text) as RecordLine;
  if (typeof line !== 'object' || line === null || typeof line.type !== 'string') throw new Error('no "type" field');
  if (lineNo === 1 && line.type !== 'header') throw new Error('the first line must be the header');
  return line;
}
