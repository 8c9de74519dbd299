/**
 * Answers built from values the store shares between requests. The SQLite store keeps users,
 * their MFA settings and ListUsers pages in memory, frozen, and hands the same object to every
 * request until a write makes it stale (storage/read-cache.ts). An answer built from such an
 * object is the same every time, so it is built once per object (and `variant`, for what else
 * the answer depends on) and frozen; the API pipeline then serializes a frozen answer once too
 * (http/pipeline/index.ts). A value that is not frozen (PostgreSQL, a transaction's read) gets
 * a fresh answer each time. Entries live as long as their source object: nothing to invalidate.
 */
export function sharedAnswers<S extends object, V extends object>(): (source: S, variant: unknown, build: () => V) => V {
  const built = new WeakMap<S, { variant: unknown; answer: V }>();
  return (source, variant, build) => {
    if (!Object.isFrozen(source)) return build();
    const known = built.get(source);
    if (known !== undefined && known.variant === variant) return known.answer;
    const answer = Object.freeze(build());
    built.set(source, { variant, answer });
    return answer;
  };
}

const serialized = new WeakMap<object, string>();

/** JSON of an answer; of a frozen (shared) one, computed once. */
export function answerJson(answer: unknown): string {
  if (answer === null || answer === undefined) return '{}';
  if (typeof answer !== 'object' || !Object.isFrozen(answer)) return JSON.stringify(answer);
  let json = serialized.get(answer);
  if (json === undefined) {
    json = JSON.stringify(answer);
    serialized.set(answer, json);
  }
  return json;
}
