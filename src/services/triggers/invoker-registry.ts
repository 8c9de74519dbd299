import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, type Config } from '../../kernel/config.js';
import { ServiceError } from '../../kernel/errors.js';
import { isCustomSenderSource } from './custom-sender.js';
import type { Logger } from '../../kernel/logger.js';
import type { LambdaInvoker } from './custom-message.js';
import { NO_CLIENT, type TriggerEvent } from './trigger-event.js';
import { createHttpInvoker } from './http-invoker.js';
import { createLambdaApiInvoker } from './lambda-api-invoker.js';
import { createModuleInvoker } from './module-invoker.js';

type Route = { kind: 'url' | 'module' | 'lambda'; invoker: LambdaInvoker };

/**
 * One finished invocation, as the log and the audit log report it: which trigger, for which pool
 * and user, how it ended and how long it took. Never the event (it carries attributes, a
 * migrating user's password, a custom sender's encrypted code) nor the answer.
 */
export interface TriggerInvocation {
  triggerSource: string;
  functionArn: string;
  via: 'url' | 'module' | 'lambda' | 'lambda-api';
  poolId: string;
  userName: string;
  /** Null for admin operations (CLIENT_ID_NOT_APPLICABLE). */
  clientId: string | null;
  /** OK, or the error name the caller (or the outbox) got. */
  outcome: string;
  /** The HTTP status the failure answers with (200 when OK). */
  status: number;
  durationMs: number;
}

/**
 * The invoker for every function a pool may name: the ones listed in the triggers file go to a
 * URL, a local module or a chosen Lambda endpoint; any other ARN goes to the Lambda Invoke API
 * (config.lambdaEndpoint, or AWS). A bad triggers file stops start-up with a ConfigError.
 */
export function createLambdaInvoker(
  config: Pick<Config, 'triggersFile' | 'lambdaEndpoint' | 'triggerTimeoutMs' | 'region'>,
  logger: Logger,
  onInvoked?: (invocation: TriggerInvocation) => void,
): LambdaInvoker {
  const routes = config.triggersFile === undefined ? new Map<string, Route>() : readTriggersFile(config.triggersFile, config);
  let fallback: LambdaInvoker | undefined;
  const fallbackInvoker = () =>
    (fallback ??= createLambdaApiInvoker({ endpoint: config.lambdaEndpoint, defaultRegion: config.region, timeoutMs: config.triggerTimeoutMs }));
  if (routes.size > 0) logger.info('lambda triggers loaded', { file: config.triggersFile, functions: routes.size });

  return {
    async invoke(functionArn: string, event: TriggerEvent): Promise<TriggerEvent> {
      const route = routes.get(functionArn);
      const via = route?.kind ?? 'lambda-api';
      // Elapsed time for the log only (not a clock reading any rule depends on). The event is
      // never logged: it carries attributes, and UserMigration's carries the password typed.
      const started = performance.now();
      const durationMs = () => Math.round(performance.now() - started);
      const report = (outcome: string, status: number): TriggerInvocation => ({
        triggerSource: event.triggerSource,
        functionArn,
        via,
        poolId: event.userPoolId,
        userName: event.userName,
        clientId: event.callerContext.clientId === NO_CLIENT ? null : event.callerContext.clientId,
        outcome,
        status,
        durationMs: durationMs(),
      });
      try {
        const answered = await (route?.invoker ?? fallbackInvoker()).invoke(functionArn, event);
        const done = report('OK', 200);
        logger.info('lambda trigger', { triggerSource: done.triggerSource, functionArn, via, durationMs: done.durationMs, outcome: 'ok' });
        onInvoked?.(done);
        return answered;
      } catch (err) {
        const name = (err as Error).name;
        // A custom sender's answer is ignored (services/triggers/custom-sender.ts): one that is no event ran fine.
        if (name === 'InvalidLambdaResponseException' && isCustomSenderSource(event.triggerSource)) {
          const done = report('OK', 200);
          logger.info('lambda trigger', { triggerSource: done.triggerSource, functionArn, via, durationMs: done.durationMs, outcome: 'ok' });
          onInvoked?.(done);
          throw err;
        }
        const failed = report(name, err instanceof ServiceError ? err.status : 500);
        logger.warn('lambda trigger', {
          triggerSource: failed.triggerSource,
          functionArn,
          via,
          durationMs: failed.durationMs,
          outcome: name,
          message: (err as Error).message,
        });
        onInvoked?.(failed);
        throw err;
      }
    },
    async close() {
      const all = [...new Set([...routes.values()].map((r) => r.invoker)), ...(fallback ? [fallback] : [])];
      await Promise.all(all.map((i) => i.close?.()));
    },
  };
}

function readTriggersFile(path: string, config: Pick<Config, 'triggerTimeoutMs' | 'region' | 'lambdaEndpoint'>): Map<string, Route> {
  const fail = (why: string): never => {
    throw new ConfigError(`triggers file ${path}: ${why}`);
  };
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    fail(`cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    fail('is not valid JSON');
  }
  if (!isObject(parsed)) return fail('must hold a JSON object mapping function ARNs to {"url"}, {"module"} or {"lambda"}');

  const routes = new Map<string, Route>();
  for (const [arn, entry] of Object.entries(parsed)) {
    const where = `entry "${arn}"`;
    if (arn.trim() === '') fail('a function ARN is empty');
    if (!isObject(entry)) fail(`${where} must be an object`);
    const spec = entry as Record<string, unknown>;
    const kinds = Object.keys(spec);
    if (kinds.length !== 1 || !['url', 'module', 'lambda'].includes(kinds[0] as string)) {
      fail(`${where} must have exactly one of "url", "module" or "lambda"`);
    }
    if ('url' in spec) {
      routes.set(arn, { kind: 'url', invoker: createHttpInvoker(httpUrl(spec.url, `${where} "url"`, fail), config.triggerTimeoutMs) });
    } else if ('module' in spec) {
      if (typeof spec.module !== 'string' || spec.module === '') fail(`${where} "module" must be a non-empty path`);
      // Relative to the triggers file, so the file and its functions can move together.
      const modulePath = resolve(dirname(resolve(path)), spec.module as string);
      if (!existsSync(modulePath)) fail(`${where} module ${modulePath} does not exist`);
      routes.set(arn, { kind: 'module', invoker: createModuleInvoker(modulePath, config.triggerTimeoutMs) });
    } else {
      const lambda = spec.lambda;
      if (!isObject(lambda)) return fail(`${where} "lambda" must be an object`);
      const extra = Object.keys(lambda).filter((k) => k !== 'endpoint');
      if (extra.length > 0) fail(`${where} "lambda" has an unknown key "${extra[0]}"`);
      const endpoint = lambda.endpoint === undefined ? config.lambdaEndpoint : httpUrl(lambda.endpoint, `${where} "lambda.endpoint"`, fail);
      routes.set(arn, {
        kind: 'lambda',
        invoker: createLambdaApiInvoker({ endpoint, defaultRegion: config.region, timeoutMs: config.triggerTimeoutMs }),
      });
    }
  }
  return routes;
}

function httpUrl(value: unknown, what: string, fail: (why: string) => never): string {
  if (typeof value !== 'string') return fail(`${what} must be an http:// or https:// URL`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(`${what} must be an http:// or https:// URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(`${what} must be an http:// or https:// URL`);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
