import { RE2JS } from 're2js';

/**
 * The model's `pattern` constraints on a linear-time engine. V8's RegExp backtracks: patterns
 * such as `[\p{L}…\s*]*\{##[…]*##\}[…]*` take quadratic or cubic time on long hostile values,
 * and validation runs on the event loop, so one request could stall every other one for
 * seconds. RE2 (here its pure-JS port re2js) never backtracks: time grows with the length of
 * the value only.
 *
 * Semantics stay those of `new RegExp(source, 'u').test(value)` (see PATTERN_FLAGS in the
 * generated shapes): unanchored, as Smithy patterns are, with JavaScript's meaning of the few
 * escapes where RE2 differs. test/pattern-safety.test.ts compiles every model pattern and
 * compares both engines.
 */
export interface ModelPattern {
  /** True when the pattern matches somewhere in the value (Smithy patterns are not implicitly anchored). */
  test(value: string): boolean;
}

const cache = new Map<string, ModelPattern>();

/**
 * Answers remembered per pattern for short values. re2js matches in linear time but, written in
 * JavaScript, costs microseconds per test, paid on every request for the same pool ids,
 * client ids and usernames (the largest part of validation in the issue 23 profiles). The
 * answer for a value never changes, so a bounded map of the values seen is exact.
 */
const REMEMBERED_PER_PATTERN = 10_000;
const REMEMBERED_MAX_CHARS = 256;

/** The compiled form of a model pattern (`fact.jsPattern ?? fact.pattern`), compiled once. */
export function modelPattern(source: string): ModelPattern {
  let compiled = cache.get(source);
  if (!compiled) {
    // Lookbehind (S3BucketType's `(?<!\.)$`) is not RE2 syntax; re2js runs captureless ones in linear time when asked.
    const flags = /\(\?<[=!]/.test(source) ? RE2JS.LOOKBEHINDS : 0;
    compiled = remembering(RE2JS.compile(toRe2Syntax(source), flags));
    cache.set(source, compiled);
  }
  return compiled;
}

function remembering(pattern: ModelPattern): ModelPattern {
  const seen = new Map<string, boolean>();
  return {
    test(value) {
      if (value.length > REMEMBERED_MAX_CHARS) return pattern.test(value);
      let answer = seen.get(value);
      if (answer === undefined) {
        answer = pattern.test(value);
        // A flood of distinct values only empties the map and starts again.
        if (seen.size >= REMEMBERED_PER_PATTERN) seen.clear();
        seen.set(value, answer);
      }
      return answer;
    },
  };
}

// ECMAScript's WhiteSpace and LineTerminator code points: what `\s` matches in a JS RegExp.
// RE2's `\s` is only [\t\n\f\r ]; Unicode categories, `\w`, `\d` and `$` already agree.
const JS_SPACE: readonly (readonly [number, number])[] = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
// What `.` does not match in a JS RegExp without the s flag.
const JS_LINE_TERMINATORS: readonly (readonly [number, number])[] = [
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
];

function complement(ranges: readonly (readonly [number, number])[]): [number, number][] {
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}

function classItems(ranges: readonly (readonly [number, number])[]): string {
  const hex = (cp: number) => `\\x{${cp.toString(16)}}`;
  return ranges.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join('');
}

const SPACE_ITEMS = classItems(JS_SPACE);
const NON_SPACE_ITEMS = classItems(complement(JS_SPACE));
const DOT_ITEMS = classItems(complement(JS_LINE_TERMINATORS));

/**
 * Rewrites the escapes whose meaning differs between ECMAScript and RE2 into explicit code
 * point classes: `\s`, `\S` (inside or outside a class) and `.` outside a class. Everything
 * else in the model's patterns (`\p{L}`, `\w`, `\xNN`, escaped punctuation, anchors, groups,
 * bounded repeats) means the same in both.
 */
export function toRe2Syntax(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      i++;
      if (next === 's' || next === 'S') {
        const items = next === 's' ? SPACE_ITEMS : NON_SPACE_ITEMS;
        out += inClass ? items : `[${items}]`;
      } else {
        out += c + next;
      }
      continue;
    }
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    else if (c === '.' && !inClass) {
      out += `[${DOT_ITEMS}]`;
      continue;
    }
    out += c;
  }
  return out;
}
