/**
 * A request pipeline: named steps run in order over one exchange object per request, each
 * reading what earlier steps filled in and adding its own, or throwing to end the request;
 * then the steps that run whatever happened (the audit record). Endpoints (the AWS JSON API,
 * and the OAuth endpoints to come) each define their exchange and list their steps once, at
 * startup: a request then costs no closures or arrays of its own, and an optional step that is
 * not configured is left out of the list rather than skipped on every request.
 */
export interface Step<X> {
  /** What the step does, in a word or two: how the order is read, logged and tested. */
  readonly name: string;
  run(exchange: X): void | Promise<void>;
}

export interface Pipeline<X> {
  /** Run in order until one throws. */
  readonly steps: readonly Step<X>[];
  /** Run after the steps, whatever happened; they should not throw. */
  readonly after: readonly Step<X>[];
}

/**
 * Runs one exchange through the pipeline. A step that throws ends the steps, and `fail` turns
 * the error into the exchange's answer; then the after-steps run. Synchronous steps are not
 * awaited: on every request each await costs a turn of the microtask queue.
 */
export async function runPipeline<X>(pipeline: Pipeline<X>, exchange: X, fail: (exchange: X, err: unknown) => void): Promise<X> {
  const { steps, after } = pipeline;
  try {
    for (let i = 0; i < steps.length; i++) {
      const pending = (steps[i] as Step<X>).run(exchange);
      if (pending !== undefined) await pending;
    }
  } catch (err) {
    fail(exchange, err);
  }
  for (let i = 0; i < after.length; i++) {
    const pending = (after[i] as Step<X>).run(exchange);
    if (pending !== undefined) await pending;
  }
  return exchange;
}
