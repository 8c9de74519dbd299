import type { Config } from '../../kernel/config.js';
import { categoryOf, type QuotaLimits } from '../../domain/quotas/quota-categories.js';
import { MESSAGES, tooManyRequests } from '../../kernel/errors.js';
import type { RequestContext } from '../../kernel/request-context.js';
import type { OperationName } from '../../model/generated/operations.js';
import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import type { Store } from '../../ports/store.js';
import { addressKey } from '../../services/quotas/address-key.js';
import { isLoopback } from './authenticate.js';
import { loadQuotaLimits } from '../../services/quotas/quota-settings.js';
import { createWindowLimiter } from '../../services/quotas/window-limiter.js';
import { createProvisionedRates } from '../../services/quotas/provisioned-rates.js';
import { enforcedRate } from '../../domain/limits/provisioned-limit.js';

/**
 * The unsigned operations an anonymous caller can repeat to guess passwords or codes, create
 * accounts or make the server send messages; counted per source address.
 */
export const PUBLIC_LIMITED_OPERATIONS: ReadonlySet<OperationName> = new Set<OperationName>([
  'InitiateAuth',
  'RespondToAuthChallenge',
  'SignUp',
  'ConfirmSignUp',
  'ForgotPassword',
  'ConfirmForgotPassword',
  'ResendConfirmationCode',
]);

const SECOND_MS = 1000;
const MINUTE_MS = 60_000;

export type Admit = (operation: OperationName, input: Record<string, unknown>, ctx: RequestContext) => Promise<void>;

/**
 * Admission before an operation runs: the source address's budget for the public operations,
 * then the account-wide rate of the operation's quota category: its provisioned rate
 * (UpdateProvisionedLimit) when one is set, else the rate `--quotas` gives. A request refused
 * by the first is not counted by the second. Undefined when neither is configured, so that
 * nothing at all runs on the request path: with `--quotas off` provisioned rates are kept and
 * reported but not enforced (development never meets a throttle).
 */
export function createAdmission(deps: {
  config: Config;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Whether the server runs open (no developer credentials): development on this machine. */
  isOpen?: () => Promise<boolean>;
}): Admit | undefined {
  const limits: QuotaLimits | undefined = loadQuotaLimits(deps.config.quotas);
  const perAddress = deps.config.publicRateLimitPerIp;
  if (limits === undefined && perAddress === 0) return undefined;
  const addresses = createWindowLimiter(deps, 'rate:ip:');
  const categories = createWindowLimiter(deps, 'rate:quota:');
  const provisioned = limits === undefined ? undefined : createProvisionedRates(deps);
  // A developer's test suite signs in from loopback hundreds of times a minute: in open mode
  // (which only ever listens on loopback) its calls are not the abuse this limit is for. Once
  // credentials exist the server is run like a service, and loopback (a local proxy) counts.
  const exempt = async (ip: string) => deps.isOpen !== undefined && isLoopback(ip) && (await deps.isOpen());
  return async (operation, _input, ctx) => {
    if (perAddress > 0 && PUBLIC_LIMITED_OPERATIONS.has(operation) && !(await exempt(ctx.sourceIp))) {
      if (!(await addresses.take(addressKey(ctx.sourceIp), perAddress, MINUTE_MS))) throw tooManyRequests(MESSAGES.rateExceeded);
    }
    const category = categoryOf(operation);
    const rate = enforcedRate(category, limits, await provisioned?.rateOf(category));
    if (rate !== undefined && !(await categories.take(category, rate, SECOND_MS))) throw tooManyRequests(MESSAGES.rateExceeded);
  };
}
