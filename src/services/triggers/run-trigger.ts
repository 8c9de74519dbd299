import type { Deps } from '../deps.js';
import type { PoolSettings } from '../../domain/pools/user-pool.js';
import { invalidLambdaResponse, unexpectedLambda } from '../../kernel/errors.js';
import { UNRECOGNIZABLE, noInvokerCause } from './lambda-outcome.js';
import { NO_CLIENT, UNKNOWN_SDK, type TriggerEvent } from './trigger-event.js';
import { TRIGGER_SOURCES, TRIGGER_SPECS, type RequestOf, type ResponseOf, type TriggerName, type TriggerSource } from './trigger-contracts.js';

/** Running a trigger needs the invoker and the region the events name. */
export type TriggerDeps = 'lambda' | 'config';

export interface TriggerCall<S extends TriggerSource> {
  source: S;
  poolId: string;
  /** The user's name as stored (for UserMigration: the name the caller typed). */
  userName: string;
  /** The app client of a public operation; admin operations have none. */
  clientId?: string | undefined;
  request: RequestOf<S>;
}

/** The function the pool names for a trigger, and the event version it is sent. */
export function triggerFunction(settings: PoolSettings, trigger: TriggerName): { arn: string; version: string } | undefined {
  const config = settings.LambdaConfig;
  if (!config) return undefined;
  if (trigger === 'PreTokenGeneration') {
    // PreTokenGenerationConfig is the current form; the plain key is its V1_0 legacy twin (§2.1).
    const arn = config.PreTokenGenerationConfig?.LambdaArn ?? config.PreTokenGeneration;
    if (arn === undefined) return undefined;
    const version = config.PreTokenGenerationConfig?.LambdaVersion ?? 'V1_0';
    return { arn, version: version === 'V3_0' ? '3' : version === 'V2_0' ? '2' : '1' };
  }
  const arn = config[trigger];
  return arn === undefined ? undefined : { arn, version: '1' };
}

export function hasTrigger(settings: PoolSettings, trigger: TriggerName): boolean {
  return triggerFunction(settings, trigger) !== undefined;
}

/**
 * Runs the pool's function for a trigger source and returns what it answered, read into the
 * trigger's response type; undefined when the pool names no function for that trigger. The
 * event is the one AWS documents (§2.1): version, triggerSource, region, userPoolId, userName,
 * callerContext, request, response. Failures are AWS's (§2.5), raised by the invokers and here:
 * the function threw -> UserLambdaValidationException `<Trigger> failed with error <m>.`;
 * unreachable or too slow (--trigger-timeout-ms, 5 s like AWS) -> UnexpectedLambdaException;
 * an answer of the wrong shape -> InvalidLambdaResponseException. Every operation that runs a
 * trigger declares all three in its model.
 */
export async function runTrigger<S extends TriggerSource>(
  deps: Pick<Deps, TriggerDeps>,
  settings: PoolSettings,
  call: TriggerCall<S>,
): Promise<ResponseOf<S> | undefined> {
  const trigger = TRIGGER_SOURCES[call.source] as TriggerName;
  const fn = triggerFunction(settings, trigger);
  if (!fn) return undefined;
  if (deps.lambda === undefined) {
    throw unexpectedLambda(`${trigger} invocation failed due to error ${noInvokerCause(fn.arn)}.`);
  }
  const spec = TRIGGER_SPECS[trigger];
  const event: TriggerEvent = {
    version: fn.version,
    triggerSource: call.source,
    region: deps.config.region,
    userPoolId: call.poolId,
    userName: call.userName,
    callerContext: { awsSdkVersion: UNKNOWN_SDK, clientId: call.clientId ?? NO_CLIENT },
    request: dropUndefined({ ...call.request }),
    response: spec.initialResponse(fn.version),
  };
  const answered = await deps.lambda.invoke(fn.arn, event);
  const response: unknown = (answered as { response?: unknown }).response;
  if (response === null || typeof response !== 'object' || Array.isArray(response)) throw invalidLambdaResponse(UNRECOGNIZABLE);
  return spec.read(response as Record<string, unknown>, fn.version) as ResponseOf<S>;
}

/** Optional request fields left undefined are left out of the event, as AWS leaves them out. */
function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
