import { ConfigError, type Config } from '../../kernel/config.js';
import type { Logger } from '../../kernel/logger.js';
import type { SnsSmsOptions } from './sms-sns-transport.js';
import { createSmsWebhookTransport } from './sms-webhook-transport.js';
import type { SmsTransport } from './transport.js';

type SmsConfig = Pick<Config, 'smsTransport' | 'smsWebhookUrl' | 'smsWebhookSecret' | 'snsEndpoint' | 'region'>;

/**
 * The SMS transport the configuration asks for, or undefined for 'outbox': SMS then stay queued
 * for `userpoold messages` and the dev message view. Runs at start-up, so a bad setting stops
 * the server with one line instead of failing every delivery later.
 */
export function createSmsTransport(config: SmsConfig, logger: Logger): SmsTransport | undefined {
  switch (config.smsTransport) {
    case 'outbox':
      return undefined;
    case 'webhook': {
      if (config.smsWebhookUrl === undefined) throw new ConfigError('--sms-transport webhook needs --sms-webhook-url');
      const url = httpUrl(config.smsWebhookUrl, '--sms-webhook-url');
      const secret = config.smsWebhookSecret;
      // fetch would refuse such a header on every send; better to say so now.
      if (secret !== undefined && !/^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(secret)) {
        throw new ConfigError('--sms-webhook-secret: expected printable ASCII without surrounding spaces');
      }
      // The path and query may hold a token of the receiver's; the origin is enough to debug.
      logger.info('SMS delivery by webhook', { origin: url.origin, signed: secret !== undefined });
      return createSmsWebhookTransport({ url: url.href, ...(secret === undefined ? {} : { secret }) });
    }
    case 'sns': {
      const endpoint = config.snsEndpoint === undefined ? undefined : httpUrl(config.snsEndpoint, '--sns-endpoint').href;
      logger.info('SMS delivery by SNS', { region: config.region, endpoint: endpoint ?? 'aws' });
      return lazySnsTransport({ region: config.region, ...(endpoint === undefined ? {} : { endpoint }) });
    }
  }
}

/** The AWS SDK takes a while to load; only servers that send by SNS should pay for it. */
function lazySnsTransport(options: SnsSmsOptions): SmsTransport {
  let transport: Promise<SmsTransport> | undefined;
  const load = () => (transport ??= import('./sms-sns-transport.js').then((m) => m.createSnsSmsTransport(options)));
  return {
    send: async (message) => (await load()).send(message),
    async close() {
      if (transport !== undefined) await (await transport).close?.();
    },
  };
}

function httpUrl(raw: string, flag: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${flag}: expected an http:// or https:// URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${flag}: expected an http:// or https:// URL`);
  // fetch refuses such URLs at every send.
  if (url.username !== '' || url.password !== '') throw new ConfigError(`${flag}: a URL may not hold user:password`);
  return url;
}
