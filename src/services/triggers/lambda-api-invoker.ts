import type { LambdaClient, InvokeCommandOutput } from '@aws-sdk/client-lambda';
import type { LambdaInvoker } from './custom-message.js';
import type { TriggerEvent } from './trigger-event.js';
import { TIMEOUT_CAUSE, functionFailed, invocationFailed, isTimeout, noInvokerCause, parseLambdaOutput, transportCause } from './lambda-outcome.js';

export interface LambdaApiOptions {
  /** Endpoint override (a local Lambda emulator); unset uses AWS. */
  endpoint?: string | undefined;
  /** Region for function names that are not ARNs. */
  defaultRegion: string;
  timeoutMs: number;
  /** Credentials for the Invoke call; unset uses the SDK's default chain (or placeholders with an endpoint override). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
}

/**
 * Invokes functions through the Lambda Invoke API (RequestResponse), one client per region
 * because a function ARN names its region. Local emulators accept any signature, so an
 * endpoint override without credentials signs with placeholders instead of looking for real ones.
 */
export function createLambdaApiInvoker(options: LambdaApiOptions): LambdaInvoker {
  const clients = new Map<string, LambdaClient>();
  const credentials = options.credentials ?? (options.endpoint !== undefined ? { accessKeyId: 'userpoold', secretAccessKey: 'userpoold' } : undefined);
  // The SDK is loaded with the first invocation: it adds about 20 MB to a server that makes none.
  let sdk: typeof import('@aws-sdk/client-lambda') | undefined;
  const clientFor = (region: string): LambdaClient => {
    let client = clients.get(region);
    if (!client) {
      client = new (sdk as typeof import('@aws-sdk/client-lambda')).LambdaClient({
        region,
        maxAttempts: 1,
        ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
        ...(credentials !== undefined ? { credentials } : {}),
      });
      clients.set(region, client);
    }
    return client;
  };

  return {
    async invoke(functionArn: string, event: TriggerEvent): Promise<TriggerEvent> {
      sdk ??= await import('@aws-sdk/client-lambda');
      const command = new sdk.InvokeCommand({
        FunctionName: functionArn,
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(JSON.stringify(event)),
      });
      let out: InvokeCommandOutput;
      try {
        out = await clientFor(regionOf(functionArn) ?? options.defaultRegion).send(command, {
          abortSignal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (err) {
        // With no endpoint and no AWS credentials there is nowhere to send the event: say how to configure one.
        const noInvoker = options.endpoint === undefined && (err as Error | null)?.name === 'CredentialsProviderError';
        throw invocationFailed(event, isTimeout(err) ? TIMEOUT_CAUSE : noInvoker ? noInvokerCause(functionArn) : serviceCause(err));
      }
      const text = out.Payload === undefined ? '' : new TextDecoder().decode(out.Payload);
      if (out.FunctionError !== undefined && out.FunctionError !== '') throw functionFailed(event, errorMessageOf(text, out.FunctionError));
      return parseLambdaOutput(text);
    },
    async close() {
      for (const client of clients.values()) client.destroy();
      clients.clear();
    },
  };
}

/** `arn:aws:lambda:eu-west-1:123456789012:function:name[:qualifier]` -> eu-west-1. */
export function regionOf(functionArn: string): string | undefined {
  const parts = functionArn.split(':');
  return parts[0] === 'arn' && parts[2] === 'lambda' && parts[3] ? parts[3] : undefined;
}

/** Service errors (AccessDeniedException, TooManyRequestsException, ...) are named by their error code. */
function serviceCause(err: unknown): string {
  const meta = (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  if (err instanceof Error && meta?.httpStatusCode !== undefined && err.name !== 'Error') return err.name;
  return transportCause(err);
}

function errorMessageOf(text: string, functionError: string): string {
  try {
    const body = JSON.parse(text) as { errorMessage?: unknown };
    if (typeof body.errorMessage === 'string') return body.errorMessage;
  } catch {
    // A payload that is not JSON says nothing more than the FunctionError header.
  }
  return functionError;
}
