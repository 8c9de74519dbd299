import type { TriggerEvent } from './trigger-event.js';

/**
 * The CustomMessage Lambda trigger: the event Cognito sends and the contract of an invoker.
 * The function sees only the placeholders (`{####}`, `{username}`), never the code itself.
 */
export type CustomMessageTriggerSource =
  | 'CustomMessage_SignUp'
  | 'CustomMessage_AdminCreateUser'
  | 'CustomMessage_ResendCode'
  | 'CustomMessage_ForgotPassword'
  | 'CustomMessage_UpdateUserAttribute'
  | 'CustomMessage_VerifyUserAttribute'
  | 'CustomMessage_Authentication';

export interface CustomMessageEvent {
  version: '1';
  triggerSource: CustomMessageTriggerSource;
  region: string;
  userPoolId: string;
  userName: string;
  callerContext: { awsSdkVersion: string; clientId: string };
  request: {
    userAttributes: Record<string, string>;
    codeParameter: string;
    linkParameter: string;
    usernameParameter: string | null;
    clientMetadata?: Record<string, string>;
  };
  response: { smsMessage: string | null; emailMessage: string | null; emailSubject: string | null };
}

/**
 * Runs the function named by an ARN with an event and returns the event it answers. Throws
 * ServiceErrors with AWS's names: UserLambdaValidationException (the function failed),
 * UnexpectedLambdaException (it could not be run or timed out), InvalidLambdaResponseException
 * (it answered something that is not an event).
 */
export interface LambdaInvoker {
  invoke(functionArn: string, event: TriggerEvent): Promise<TriggerEvent>;
  close?(): Promise<void>;
}
