import { IMPORT_LIMITS, ROWS_PER_BATCH } from './import-job.js';

/** A piece of an uploaded CSV: whole lines, `firstLine` being the file line (1-based) of its first. */
export interface CsvChunk {
  seq: number;
  firstLine: number;
  data: string;
}

export type SplitUpload = { chunks: CsvChunk[]; users: number; problem?: undefined } | { problem: string };

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * An uploaded file as stored: chunk 0 is the header line, then chunks of up to ROWS_PER_BATCH
 * lines, each one import batch. Blank lines are kept (they keep line numbers right) and skipped
 * by the import. A file that cannot be imported at all (not UTF-8, a BOM, no header, more users
 * than AWS allows per file) is refused with the reason the job will fail with.
 */
export function splitUpload(bytes: Buffer): SplitUpload {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return { problem: 'The CSV file is not valid UTF-8.' };
  }
  if (text.charCodeAt(0) === 0xfeff) return { problem: 'The CSV file starts with a byte order mark; save it as UTF-8 without BOM.' };
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length === 0 || stripCr(lines[0] as string).trim() === '') return { problem: 'The CSV file has no header row.' };
  const chunks: CsvChunk[] = [{ seq: 0, firstLine: 1, data: stripCr(lines[0] as string) }];
  let users = 0;
  for (let start = 1; start < lines.length; start += ROWS_PER_BATCH) {
    const part = lines.slice(start, start + ROWS_PER_BATCH).map(stripCr);
    for (const line of part) if (line !== '') users++;
    chunks.push({ seq: chunks.length, firstLine: start + 1, data: part.join('\n') });
  }
  if (users > IMPORT_LIMITS.maxUsers) return { problem: `The CSV file has ${users} users; a file may have at most ${IMPORT_LIMITS.maxUsers}.` };
  return { chunks, users };
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
