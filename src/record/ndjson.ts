// NDJSON recordings: one RecordLine per line. The writer appends whole lines with synchronous
// writes at least once a second, so a crashed or killed run is readable up to its last flush.
import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { RecordLine } from '../types.js';
import { ZdError } from '../errors.js';
import { TOOL_VERSION } from '../version.js';
import { RECORDING_FORMAT, formatOf, upgradeLine } from './format.js';

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

function tooNew(path: string, format: number, line: RecordLine): ZdError {
  const by = line.type === 'header' && typeof line.version === 'string' ? ` by zdprobe ${line.version}` : '';
  return new ZdError('input', `${path} is a format ${format} recording${by}; this zdprobe (${TOOL_VERSION}) reads formats up to ${RECORDING_FORMAT}: upgrade zdprobe to report it`);
}

/**
 * Reads a recording as today's RecordLines (older formats upgraded here, newer ones refused);
 * a truncated last line (a run killed mid-write) is skipped, a corrupt line elsewhere is an error.
 */
export async function* readRecording(path: string): AsyncGenerator<RecordLine> {
  const stream = createReadStream(path, 'utf8');
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (err: NodeJS.ErrnoException) => reject(new ZdError('input', `cannot read recording ${path}: ${err.code ?? err.message}`)));
  });
  await opened;
  let lineNo = 0;
  let bad: { lineNo: number; message: string } | undefined;
  let format = RECORDING_FORMAT;
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    lineNo += 1;
    if (!text.trim()) continue;
    if (bad) throw new ZdError('input', `${path}:${bad.lineNo}: not a zdprobe recording line (${bad.message})`);
    let line: RecordLine;
    try {
      line = JSON.parse(text) as RecordLine;
      if (typeof line !== 'object' || line === null || typeof line.type !== 'string') throw new Error('no "type" field');
      if (lineNo === 1 && line.type !== 'header') throw new Error('the first line must be the header');
      if (line.type === 'header') format = formatOf(line);
      if (format <= RECORDING_FORMAT) line = upgradeLine(line, format);
    } catch (err) {
      bad = { lineNo, message: (err as Error).message };
      continue;
    }
    if (format > RECORDING_FORMAT) throw tooNew(path, format, line);
    yield line;
  }
  if (bad && bad.lineNo === 1) throw new ZdError('input', `${path}:1: not a zdprobe recording (${bad.message})`);
}
