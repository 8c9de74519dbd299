import type { SNSClient, SNSClientConfig } from '@aws-sdk/client-sns';
import { PermanentDeliveryError, type SmsMessage, type SmsTransport } from './transport.js';

export interface SnsSmsOptions {
  region: string;
  /** An SNS-compatible endpoint (a local emulator); unset means AWS's endpoint for the region. */
  endpoint?: string;
  /**
   * Left unset in production: the SDK's default chain then finds the credentials (AWS_* variables,
   * AWS_PROFILE and the shared ~/.aws files, SSO, web identity, ECS task role, EC2 instance role).
   */
  credentials?: SNSClientConfig['credentials'];
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * SNS answers these when the number or the message itself will never be accepted. Names without
 * "Exception", so that both the SDK's exception names and raw query-protocol codes it does not
 * model (e.g. from an emulator) match; ParameterValueInvalid is the wire code of
 * InvalidParameterValueException.
 */
const PERMANENT = new Set(['InvalidParameter', 'InvalidParameterValue', 'ParameterValueInvalid', 'OptedOut', 'EndpointDisabled', 'Validation']);

/**
 * Sends each SMS with SNS Publish to a phone number, as Transactional (the type AWS recommends for
 * one-time codes: it is routed for reliability rather than cost).
 */
export function createSnsSmsTransport(options: SnsSmsOptions): SmsTransport {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // The SDK is loaded with the first message: it adds about 17 MB to a server that never sends one.
  let loading: Promise<{ client: SNSClient; sdk: typeof import('@aws-sdk/client-sns') }> | undefined;
  const load = () =>
    (loading ??= import('@aws-sdk/client-sns').then((sdk) => ({
      sdk,
      client: new sdk.SNSClient({
        region: options.region,
        ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
        ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
        // The delivery worker owns retries (with backoff, attempts counted in the outbox); SDK
        // retries underneath it would multiply the tries and could double-send a code.
        maxAttempts: 1,
        requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs },
      }),
    })));
  return {
    async send(message: SmsMessage): Promise<void> {
      const { client, sdk } = await load();
      const command = new sdk.PublishCommand({
        PhoneNumber: message.to,
        Message: message.text,
        MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
      });
      try {
        await client.send(command, { abortSignal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        throw classifySnsError(err, timeoutMs);
      }
    },
    async close() {
      if (loading) (await loading).client.destroy();
    },
  };
}

/**
 * Only the error's name and status go into the text: the worker stores it, and SNS or a network
 * library may quote parts of the request.
 */
export function classifySnsError(err: unknown, timeoutMs: number): Error {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  if (name === 'TimeoutError' || name === 'AbortError') return new Error(`SNS Publish timed out after ${timeoutMs} ms`);
  const code = name.replace(/Exception$/, '');
  const text = `SNS Publish failed: ${status === undefined ? '' : `HTTP ${status} `}${name}`;
  if (PERMANENT.has(code)) return new PermanentDeliveryError(text);
  // Network failures carry a system code (ECONNREFUSED) rather than a useful name.
  if (status === undefined && typeof e.code === 'string') return new Error(`SNS Publish failed: ${e.code}`);
  return new Error(text);
}
