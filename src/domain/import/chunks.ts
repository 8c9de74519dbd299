import { isUtf8 } from 'node:buffer';
import { IMPORT_LIMITS, ROWS_PER_BATCH } from './import-job.js';

/** A piece of an uploaded CSV: whole lines, `firstLine` being the file line (1-based) of its first. */
export interface CsvChunk {
  seq: number;
  firstLine: number;
  data: string;
}

/** An importable file: `count` chunks, each made (decoded) only when asked for. */
export type SplitUpload = { count: number; chunk: (seq: number) => CsvChunk; users: number; problem?: undefined } | { problem: string };

/** What the end of the file settles: the last chunks, or why the file cannot be imported. */
export type CutEnd = { chunks: CsvChunk[]; count: number; users: number; problem?: undefined } | { problem: string };

/**
 * Cuts an uploaded file into chunks as its bytes arrive (issue 21: a file is never held whole).
 * `push` returns the chunks the bytes completed; `end` the rest, or the problem that refuses the
 * file. Once a problem is known, `push` returns nothing more: the chunks already returned are
 * the caller's to drop.
 */
export interface ChunkCutter {
  push(bytes: Buffer): CsvChunk[];
  end(): CutEnd;
}

const NEWLINE = 0x0a;
const CR = 0x0d;
/**
 * A chunk is cut early when its lines reach this many bytes, and a line may be at most
 * MAX_LINE_BYTES: what the server holds of an upload stays small whatever the file. A user's
 * line is far shorter (AWS limits an attribute value to 2,048 characters, a pool to 50 custom
 * attributes); a longer line means the file is not a user CSV (docs/compatibility.md).
 */
export const MAX_CHUNK_BYTES = 4 * 1024 * 1024;
export const MAX_LINE_BYTES = 1024 * 1024;

const NOT_UTF8 = 'The CSV file is not valid UTF-8.';
const BOM = 'The CSV file starts with a byte order mark; save it as UTF-8 without BOM.';
const NO_HEADER = 'The CSV file has no header row.';

/**
 * An uploaded file as stored: chunk 0 is the header line, then chunks of up to ROWS_PER_BATCH
 * lines (fewer when they reach MAX_CHUNK_BYTES), each one import batch. Blank lines are kept
 * (they keep line numbers right) and skipped by the import. A file that cannot be imported at
 * all (not UTF-8, a BOM, no header, more users than AWS allows per file, a line too long) is
 * refused with the reason the job will fail with.
 *
 * Lines end at \n only: the format has no quoting (a comma in a value is written `\,`, csv.ts),
 * so a \n never belongs to a value. A \n byte is never inside a multi-byte UTF-8 sequence, so
 * each chunk is checked and decoded alone. Past AWS's user limit the cutter keeps counting (the
 * job's message says how many users the file has) but returns no more chunks.
 */
export function createChunkCutter(): ChunkCutter {
  /** The current chunk's bytes: its complete lines, then the start of the next line. */
  let parts: Buffer[] = [];
  let partsBytes = 0;
  /** Bytes of the incomplete line at the end of `parts`, and its last byte. */
  let partial = 0;
  let partialLast = -1;
  let linesInChunk = 0;
  /** File line number of the line being read. */
  let line = 1;
  let chunkFirstLine = 2;
  let seq = 0;
  let users = 0;
  let problem: string | undefined;

  const take = (): Buffer => {
    const bytes = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, partsBytes);
    parts = [];
    partsBytes = 0;
    return bytes;
  };

  /** Emits the chunk of the lines in `parts` (whole lines, each ending with \n, or the file's end). */
  const cut = (out: CsvChunk[]): void => {
    if (linesInChunk === 0) return;
    const bytes = take();
    const stop = bytes[bytes.length - 1] === NEWLINE ? bytes.length - 1 : bytes.length;
    linesInChunk = 0;
    if (!isUtf8(bytes)) {
      problem = NOT_UTF8;
      return;
    }
    const chunk = { seq: ++seq, firstLine: chunkFirstLine, data: decode(bytes, 0, stop) };
    if (users <= IMPORT_LIMITS.maxUsers) out.push(chunk);
  };

  /** A line ended (at `bytes[stop]`, a \n, or at the file's end): `parts` holds it, \n included. */
  const lineDone = (out: CsvChunk[], lastByte: number, length: number): void => {
    if (line === 1) {
      const bytes = take();
      const end = bytes[bytes.length - 1] === NEWLINE ? bytes.length - 1 : bytes.length;
      if (!isUtf8(bytes)) problem = NOT_UTF8;
      else if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) problem = BOM;
      else {
        const header = decode(bytes, 0, end);
        if (header.trim() === '') problem = NO_HEADER;
        else out.push({ seq: 0, firstLine: 1, data: header });
      }
    } else {
      if (length - (lastByte === CR ? 1 : 0) > 0) users++;
      if (linesInChunk === 0) chunkFirstLine = line;
      linesInChunk++;
      if (linesInChunk === ROWS_PER_BATCH || partsBytes >= MAX_CHUNK_BYTES) cut(out);
    }
    line++;
  };

  const append = (piece: Buffer): void => {
    if (piece.length === 0) return;
    parts.push(piece);
    partsBytes += piece.length;
  };

  return {
    push(bytes) {
      const out: CsvChunk[] = [];
      if (problem !== undefined || bytes.length === 0) return out;
      let from = 0;
      while (problem === undefined) {
        const nl = bytes.indexOf(NEWLINE, from);
        const stop = nl === -1 ? bytes.length : nl;
        if (partial + (stop - from) > MAX_LINE_BYTES) {
          problem = `Line ${line} of the CSV file is longer than ${MAX_LINE_BYTES} bytes.`;
          break;
        }
        if (nl === -1) {
          // Copied: a slice would keep the whole received buffer alive while the line waits.
          if (stop > from) {
            append(Buffer.from(bytes.subarray(from, stop)));
            partialLast = bytes[stop - 1] as number;
          }
          partial += stop - from;
          break;
        }
        const lastByte = nl > from ? (bytes[nl - 1] as number) : partialLast;
        const length = partial + (nl - from);
        // A view, not a copy: held only until the chunk is cut (take copies it), at most a chunk's worth.
        append(bytes.subarray(from, nl + 1));
        partial = 0;
        partialLast = -1;
        lineDone(out, lastByte, length);
        from = nl + 1;
        if (from === bytes.length) break;
      }
      return problem === undefined ? out : [];
    },
    end() {
      const out: CsvChunk[] = [];
      // The last line may lack its newline; an empty last "line" is none.
      if (problem === undefined && partial > 0) {
        const length = partial;
        const lastByte = partialLast;
        partial = 0;
        lineDone(out, lastByte, length);
      }
      if (problem === undefined && line === 1) problem = NO_HEADER;
      if (problem === undefined) cut(out);
      if (problem !== undefined) return { problem };
      if (users > IMPORT_LIMITS.maxUsers) return { problem: `The CSV file has ${users} users; a file may have at most ${IMPORT_LIMITS.maxUsers}.` };
      return { chunks: out, count: seq + 1, users };
    },
  };
}

/** A whole file at once, cut as createChunkCutter cuts it (for tests and tools; uploads stream). */
export function splitUpload(bytes: Buffer): SplitUpload {
  const cutter = createChunkCutter();
  const chunks = cutter.push(bytes);
  const end = cutter.end();
  if (end.problem !== undefined) return { problem: end.problem };
  chunks.push(...end.chunks);
  return { count: end.count, users: end.users, chunk: (seq) => chunks[seq] as CsvChunk };
}

/** The text of bytes [start, stop), each line's trailing \r removed. */
function decode(bytes: Buffer, start: number, stop: number): string {
  const text = bytes.toString('utf8', start, stop);
  return text.includes('\r') ? text.split('\n').map(stripCr).join('\n') : text;
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
