import { readFileSync } from 'node:fs';
import type { Document, LineCounter, Node as YamlNode } from 'yaml';
import { ConfigError } from '../../kernel/config.js';

/** Where a value sits in the seed: keys and list indexes from the root. */
export type SeedPath = readonly (string | number)[];

/**
 * A seed as read: its plain value, and a way back from any path in it to the file and line it
 * came from, so every complaint can say where to look. A seed given as an object (the embedded
 * API) has no lines; its complaints name the path only.
 */
export interface SeedSource {
  /** The file name, or `seed` for an object. */
  name: string;
  root: unknown;
  /** `file:line:column` of the value at `path` (of its key, for a map entry), or of its nearest ancestor. */
  locate(path: SeedPath): string;
}

/** A seed file or object that cannot be applied. A ConfigError: the server refuses to start. */
export class SeedError extends ConfigError {}

/** One problem: `file:line:column: pools[0].users[1].password: what is wrong`. */
export function describeProblem(source: SeedSource, path: SeedPath, message: string): string {
  return `${source.locate(path)}: ${formatPath(path) || '(top level)'}: ${message}`;
}

/** Every problem found, in file order; the first line says nothing was applied. */
export function seedProblems(source: SeedSource, problems: readonly string[]): SeedError {
  const n = problems.length;
  const line = (p: string) => Number(/^[^\n]*?:(\d+):\d+: /.exec(p)?.[1] ?? 0);
  const sorted = [...problems].sort((a, b) => line(a) - line(b));
  return new SeedError(`seed ${source.name}: ${n} problem${n === 1 ? '' : 's'}, nothing applied:\n  ${sorted.join('\n  ')}`);
}

export function formatPath(path: SeedPath): string {
  let text = '';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : text === '' ? part : `.${part}`;
  return text;
}

/** Reads a YAML or JSON seed file (YAML is a superset of JSON). */
export async function readSeedFile(file: string): Promise<SeedSource> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SeedError(`cannot read seed file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return seedFromText(text, file);
}

export async function seedFromText(text: string, name: string): Promise<SeedSource> {
  // Loaded only when a seed is given: a server without one does not carry the YAML parser.
  const { parseDocument, LineCounter: Counter } = await import('yaml');
  const lineCounter = new Counter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const problem = doc.errors[0];
  if (problem) {
    const { line, col } = lineCounter.linePos(problem.pos[0]);
    throw new SeedError(`seed ${name}: not valid YAML or JSON, nothing applied:\n  ${name}:${line}:${col}: ${problem.message.split('\n')[0]}`);
  }
  return { name, root: doc.toJS({ maxAliasCount: 100 }) as unknown, locate: (path) => locateIn(doc, lineCounter, name, path) };
}

/** A seed given as a value (the embedded API). */
export function seedFromObject(root: unknown, name = 'seed'): SeedSource {
  return { name, root, locate: () => name };
}

function locateIn(doc: Document, lines: LineCounter, name: string, path: SeedPath): string {
  let node: unknown = doc.contents;
  let found: unknown = node;
  for (const part of path) {
    const next = child(node, part);
    if (next === undefined) break;
    node = next.value;
    found = next.at;
  }
  const range = (found as YamlNode | null | undefined)?.range;
  if (!range) return name;
  const { line, col } = lines.linePos(range[0]);
  return `${name}:${line}:${col}`;
}

/** The child of a map (by key: its key node locates it) or of a list (by index). */
function child(node: unknown, part: string | number): { value: unknown; at: unknown } | undefined {
  const items = (node as { items?: unknown[] } | null)?.items;
  if (!Array.isArray(items)) return undefined;
  if (typeof part === 'number') {
    const item = items[part];
    return item === undefined ? undefined : { value: item, at: item };
  }
  for (const item of items) {
    const pair = item as { key?: { value?: unknown } | null; value?: unknown };
    if (pair && typeof pair === 'object' && 'key' in pair && pair.key?.value === part) return { value: pair.value, at: pair.key };
  }
  return undefined;
}
