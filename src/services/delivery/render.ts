import type { Deps } from '../deps.js';
import { emailSender, messageText } from '../../domain/messages/message-templates.js';
import type { PoolSettings } from '../../domain/pools/user-pool.js';
import type { PoolRecord } from '../../domain/pools/pool.js';
import type { UserRecord } from '../../domain/users/user.js';
import type { CustomMessageTriggerSource } from '../triggers/custom-message.js';
import { buildCustomMessageEvent, runCustomMessage } from '../triggers/custom-message-runner.js';
import type { MessagePayload } from './message-view.js';
import { customSenderFor } from '../triggers/custom-sender.js';

export interface RenderRequest {
  pool: PoolRecord;
  settings: PoolSettings;
  user: UserRecord;
  /** CustomMessage trigger source suffix: ForgotPassword, AdminCreateUser, SignUp, ... */
  trigger: string;
  channel: 'EMAIL' | 'SMS';
  /** The app client of a public operation; admin operations have none. */
  clientId?: string | undefined;
  clientMetadata?: Record<string, string> | undefined;
}

export type RenderedText = Pick<MessagePayload, 'subject' | 'body' | 'from' | 'replyTo'>;

/**
 * Whether rendering a message of this pool calls out (its CustomMessage function): if not, it is
 * pure and may run inside a write transaction, sparing the read before it.
 */
export function renderCallsOut(deps: Pick<Deps, 'lambda'>, settings: PoolSettings): boolean {
  return settings.LambdaConfig?.CustomMessage !== undefined && deps.lambda !== undefined;
}

/**
 * The text of a message as it will be queued: the pool's template, then, when the pool names a
 * CustomMessage function, whatever that function answers. When it calls out (renderCallsOut),
 * it runs before the operation's write transaction, so a failing function fails the operation
 * with AWS's error and nothing is committed, and no database lock is held while it runs.
 */
export async function renderMessage(deps: Pick<Deps, 'config' | 'lambda'>, request: RenderRequest): Promise<RenderedText> {
  const { settings, channel } = request;
  // A pool's custom sender gets the code alone and writes its own text (its event has no
  // message), so neither the template nor CustomMessage has anything to do for that medium.
  if (customSenderFor(settings, channel) !== undefined) return {};
  const base = messageText(settings, request.trigger, channel);
  const sender = channel === 'EMAIL' ? emailSender(settings) : {};
  const functionArn = settings.LambdaConfig?.CustomMessage;
  if (functionArn === undefined || deps.lambda === undefined) return { ...base, ...sender };

  const event = buildCustomMessageEvent({
    triggerSource: `CustomMessage_${request.trigger}` as CustomMessageTriggerSource,
    region: deps.config.region,
    poolId: request.pool.id,
    user: request.user,
    clientId: request.clientId ?? 'CLIENT_ID_NOT_APPLICABLE',
    clientMetadata: request.clientMetadata,
    usernameParameter: request.trigger === 'AdminCreateUser' ? '{username}' : null,
  });
  const custom = await runCustomMessage(deps.lambda, functionArn, event, channel, settings.EmailConfiguration?.EmailSendingAccount ?? 'COGNITO_DEFAULT');
  if (custom === undefined) return { ...base, ...sender };
  return { subject: custom.subject ?? base.subject, body: custom.body, ...sender };
}
