import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_CHUNK_BYTES, MAX_LINE_BYTES, createChunkCutter, splitUpload, type CsvChunk } from '../src/domain/import/chunks.js';
import { IMPORT_LIMITS, ROWS_PER_BATCH } from '../src/domain/import/import-job.js';

function chunksOf(text: string | Buffer): { chunks: CsvChunk[]; users: number } {
  const split = splitUpload(Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'));
  if (split.problem !== undefined) throw new Error(split.problem);
  return { chunks: Array.from({ length: split.count }, (_, i) => split.chunk(i)), users: split.users };
}

describe('uploaded CSV files in chunks', () => {
  it('keeps the header apart, line numbers right, blank lines and CRLF endings handled', () => {
    const { chunks, users } = chunksOf('a,b\r\nx,1\r\n\r\ny,2\r\n');
    assert.deepEqual(chunks, [
      { seq: 0, firstLine: 1, data: 'a,b' },
      { seq: 1, firstLine: 2, data: 'x,1\n\ny,2' },
    ]);
    assert.equal(users, 2);
    assert.deepEqual(chunksOf('a,b\nx,1').chunks[1], { seq: 1, firstLine: 2, data: 'x,1' }, 'no newline at the end');
    assert.deepEqual(chunksOf('a,b\n').chunks, [{ seq: 0, firstLine: 1, data: 'a,b' }], 'a header alone');
  });

  it('cuts chunks of ROWS_PER_BATCH lines, multi-byte text intact', () => {
    const rows = Array.from({ length: ROWS_PER_BATCH * 2 + 3 }, (_, i) => `naïve-${i},ü`);
    const { chunks, users } = chunksOf(['h', ...rows].join('\n') + '\n');
    assert.equal(users, rows.length);
    assert.deepEqual(
      chunks.map((c) => [c.seq, c.firstLine]),
      [
        [0, 1],
        [1, 2],
        [2, 2 + ROWS_PER_BATCH],
        [3, 2 + 2 * ROWS_PER_BATCH],
      ],
    );
    assert.equal(chunks.slice(1).map((c) => c.data).join('\n'), rows.join('\n'));
  });

  it('refuses what cannot be imported at all, with the reason the job fails with', () => {
    const problem = (bytes: Buffer) => (splitUpload(bytes) as { problem?: string }).problem;
    assert.match(problem(Buffer.from([0x61, 0x0a, 0xff, 0xfe])) ?? '', /not valid UTF-8/u);
    assert.match(problem(Buffer.from('\ufeffa,b\nx,1\n', 'utf8')) ?? '', /byte order mark/u);
    assert.match(problem(Buffer.from('')) ?? '', /no header/u);
    assert.match(problem(Buffer.from('  \nx\n')) ?? '', /no header/u);
    const tooMany = Buffer.from('h\n' + 'u\n'.repeat(IMPORT_LIMITS.maxUsers + 1));
    assert.match(problem(tooMany) ?? '', new RegExp(`has ${IMPORT_LIMITS.maxUsers + 1} users`, 'u'));
  });

  it('cuts the same chunks from a stream, whatever its pieces (lines, CRLF and characters split across them)', () => {
    const rows = Array.from({ length: ROWS_PER_BATCH + 7 }, (_, i) => (i % 50 === 0 ? '' : `naïve-${i},ü€`));
    const file = Buffer.from(['h,é', ...rows].join('\r\n') + '\r\nlast,no-newline', 'utf8');
    const whole = chunksOf(file);
    for (const size of [1, 2, 3, 7, 4096]) {
      const cutter = createChunkCutter();
      const chunks: CsvChunk[] = [];
      for (let i = 0; i < file.length; i += size) chunks.push(...cutter.push(file.subarray(i, i + size)));
      const end = cutter.end();
      if (end.problem !== undefined) throw new Error(end.problem);
      chunks.push(...end.chunks);
      assert.deepEqual(chunks, whole.chunks, `pieces of ${size} bytes`);
      assert.equal(end.count, whole.chunks.length);
      assert.equal(end.users, whole.users);
    }
  });

  it('bounds what it holds: chunks cut early at MAX_CHUNK_BYTES, a line over MAX_LINE_BYTES refused', () => {
    const line = 'x'.repeat(100 * 1024);
    const { chunks } = chunksOf(['h', ...Array.from({ length: 100 }, () => line)].join('\n'));
    assert.ok(chunks.length > 2, 'several chunks of fewer lines');
    for (const c of chunks) assert.ok(Buffer.byteLength(c.data) <= MAX_CHUNK_BYTES + line.length + 1);
    assert.equal(chunks.slice(1).map((c) => c.data).join('\n').split('\n').length, 100);
    assert.equal(chunks[2]?.firstLine, 2 + (chunks[1]?.data.split('\n').length ?? 0), 'line numbers right');
    const cutter = createChunkCutter();
    cutter.push(Buffer.from('h\nok\n'));
    assert.deepEqual(cutter.push(Buffer.alloc(MAX_LINE_BYTES + 1, 0x61)), []);
    assert.deepEqual(cutter.end(), { problem: `Line 3 of the CSV file is longer than ${MAX_LINE_BYTES} bytes.` });
  });
});
