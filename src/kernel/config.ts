import { readFileSync } from 'node:fs';

/**
 * Every setting of userpoold, validated once. Each option is a flag (`--data-dir`), an
 * environment variable (`USERPOOLD_DATA_DIR`) and a key of the JSON config file (`dataDir`);
 * flags win over the environment, which wins over the file, which wins over the default.
 * Nothing else in the code reads process.env.
 */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** postgres://user:pass@host:port/db to keep data in PostgreSQL (several instances may share it); unset: SQLite in dataDir. */
  databaseUrl: string | undefined;
  /** PostgreSQL connections each instance may hold. */
  databasePoolSize: number;
  /** PostgreSQL cancels a statement running longer than this. */
  databaseStatementTimeoutMs: number;
  /** The 32-byte key (base64) that seals recoverable secrets; every instance on one database needs the same. Unset: server.key in dataDir. */
  serverKey: string | undefined;
  /** A file holding the server key in base64, instead of serverKey. */
  serverKeyFile: string | undefined;
  region: string;
  accountId: string;
  logLevel: LogLevel;
  /** Base URL that appears in token issuers; defaults to http://host:port. */
  publicUrl: string | undefined;
  /**
   * The token issuer: `server` (this server's URL and the pool id) or `aws`
   * (https://cognito-idp.<region>.amazonaws.com/<poolId>, for verifiers such as aws-jwt-verify
   * that accept only AWS's issuers; the JWKS is still served here).
   */
  issuerFormat: 'server' | 'aws';
  /** argon2id parameters: memory in KiB, iterations, lanes. OWASP's minimum by default. */
  argon2MemoryKib: number;
  argon2Iterations: number;
  argon2Parallelism: number;
  /** Hashes computed at once (0: one per CPU core); the rest wait their turn. */
  argon2Concurrency: number;
  /** Lifetime of forgot-password / reset codes. */
  resetCodeTtlSeconds: number;
  /** Code attempts allowed per user per hour before LimitExceededException. */
  codeAttemptLimit: number;
  /** The passkey relying party id of pools whose WebAuthnConfiguration names none (AWS's would be the pool's domain). */
  webauthnRpId: string | undefined;
  /** Whether ConfirmForgotPassword revokes the user's refresh tokens. */
  revokeTokensOnPasswordReset: boolean;
  /** Whether the dev-only HTTP message view (/_dev/messages) is served. */
  devMessages: boolean;
  /** The admin console at /_console: on, off, or auto (on when listening on a loopback address). */
  console: 'auto' | 'on' | 'off';
  /** Outgoing mail: smtp://user:pass@host:port (STARTTLS when offered) or smtps:// (implicit TLS). Unset: email stays in the outbox. */
  smtpUrl: string | undefined;
  /** Whether the mail server's TLS certificate must be valid; false only for test servers with self-signed certificates. */
  smtpTlsRejectUnauthorized: boolean;
  /** Sender when the pool's EmailConfiguration names none. */
  emailFrom: string;
  /** How SMS leave: outbox (kept for `userpoold messages`), webhook, or sns. */
  smsTransport: 'outbox' | 'webhook' | 'sns';
  smsWebhookUrl: string | undefined;
  /** Sent as the X-Userpoold-Secret header on webhook calls. */
  smsWebhookSecret: string | undefined;
  /** SNS endpoint override (e.g. a local SNS emulator); unset uses AWS. */
  snsEndpoint: string | undefined;
  /** Lambda endpoint override for the Invoke API; unset uses AWS. */
  lambdaEndpoint: string | undefined;
  /** KMS endpoint override (e.g. a local KMS) for the custom sender triggers' code encryption; unset uses AWS. */
  kmsEndpoint: string | undefined;
  /** JSON file mapping Lambda ARNs to invokers ({"arn:...": {"url": "http://..."} | {"module": "./fn.mjs"} | {"lambda": {}}}). */
  triggersFile: string | undefined;
  /** Milliseconds a CustomMessage function may run. */
  triggerTimeoutMs: number;
  /** Delivery tries before a message is marked failed. */
  deliveryMaxAttempts: number;
  /** First retry delay; it doubles with every failed try (capped at one hour). */
  deliveryBackoffMs: number;
  /** How often the delivery worker looks for due messages when it was not woken. */
  deliveryPollMs: number;
  /** How long a worker's claim on a message lasts; a message whose worker died is retried after it. */
  deliveryClaimTtlMs: number;
  /** How long an import runner's lease on a user import job lasts without a batch renewing it; a crashed runner's job resumes after it. */
  importClaimTtlMs: number;
  /**
   * Folder receiving each pool's user notification and user auth events logs
   * (SetLogDeliveryConfiguration): a CloudWatch Logs log group `…:log-group:NAME` becomes the
   * file NAME.log (JSON lines) here;
   * unset, log delivery configurations are kept but nothing is written.
   */
  logDeliveryDir: string | undefined;
  /** File of compromised passwords, one a line, for threat protection's compromised-credentials check; kept in memory as keyed hashes. */
  compromisedPasswords: string | undefined;
  /** JSON or YAML file of developer credentials (access keys and IAM-style policies) for the signed operations. */
  credentialsFile: string | undefined;
  /** Serve the signed operations without credentials on a non-loopback address (otherwise refused at start). */
  insecureOpen: boolean;
  /** How far a SigV4 request date may be from the server clock. */
  sigv4ClockSkewSeconds: number;
  /** Request-rate quotas per category: off, aws (AWS's default rates) or a JSON file of per-category rates over AWS's. */
  quotas: string;
  /** Requests per minute one source address may make to the public (unsigned) sign-in, sign-up and recovery operations; 0: no limit. */
  publicRateLimitPerIp: number;
  /** How often expired rows (tokens, codes, counters, old messages and audit entries) are deleted; 0: never. */
  sweepIntervalSeconds: number;
  /** Days delivered or failed messages are kept; 0: forever. */
  outboxRetentionDays: number;
  /** Days audit entries are kept; 0: forever. */
  auditRetentionDays: number;
  /** Request body bytes all requests together may hold at once; a request beyond it is refused at once. */
  maxBodyBytesInFlight: number;
  /** Seconds a request's headers and body may take to arrive. */
  requestTimeoutSeconds: number;
  /** Open connections one remote address may hold; 0: no limit. */
  maxConnectionsPerAddress: number;
  /** YAML or JSON file of pools, clients, users and credentials applied at start (docs/seed.md). */
  seed: string | undefined;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

export class ConfigError extends Error {}

type Kind = 'string' | 'port' | 'int' | 'bool' | 'logLevel' | 'region' | 'accountId' | 'smsTransport' | 'issuerFormat' | 'console';

interface OptionSpec {
  key: keyof Config;
  flag: string;
  kind: Kind;
  default: Config[keyof Config];
  help: string;
  min?: number;
}

export const OPTIONS: readonly OptionSpec[] = [
  { key: 'port', flag: 'port', kind: 'port', default: 9229, help: 'TCP port to listen on (0 picks a free one)' },
  { key: 'host', flag: 'host', kind: 'string', default: '127.0.0.1', help: 'address to listen on' },
  { key: 'dataDir', flag: 'data-dir', kind: 'string', default: '.userpoold', help: 'folder for the SQLite database and the server key' },
  { key: 'databaseUrl', flag: 'database-url', kind: 'string', default: undefined, help: 'postgres:// URL to store data in PostgreSQL instead of SQLite' },
  { key: 'databasePoolSize', flag: 'database-pool-size', kind: 'int', default: 10, min: 1, help: 'PostgreSQL connections per instance' },
  { key: 'databaseStatementTimeoutMs', flag: 'database-statement-timeout-ms', kind: 'int', default: 5000, min: 0, help: 'PostgreSQL statement timeout in milliseconds (0: none)' },
  { key: 'serverKey', flag: 'server-key', kind: 'string', default: undefined, help: 'the 32-byte server key in base64, shared by every instance on one database (unset: server.key in --data-dir)' },
  { key: 'serverKeyFile', flag: 'server-key-file', kind: 'string', default: undefined, help: 'file holding the base64 server key, instead of --server-key' },
  { key: 'region', flag: 'region', kind: 'region', default: 'us-east-1', help: 'AWS region the server claims to be (pool ids, ARNs, SigV4 scope)' },
  { key: 'accountId', flag: 'account-id', kind: 'accountId', default: '000000000000', help: '12-digit account id used in ARNs' },
  { key: 'logLevel', flag: 'log-level', kind: 'logLevel', default: 'info', help: 'debug, info, warn, error or silent' },
  { key: 'publicUrl', flag: 'public-url', kind: 'string', default: undefined, help: 'external base URL, used as the token issuer prefix (unset: the Host header of each request; set it whenever listening beyond loopback)' },
  { key: 'issuerFormat', flag: 'issuer-format', kind: 'issuerFormat', default: 'server', help: "token issuer: server (this server's URL) or aws (https://cognito-idp.<region>.amazonaws.com/<poolId>, for aws-jwt-verify; JWKS still served here)" },
  { key: 'argon2MemoryKib', flag: 'argon2-memory-kib', kind: 'int', default: 19456, min: 8, help: 'argon2id memory cost in KiB' },
  { key: 'argon2Iterations', flag: 'argon2-iterations', kind: 'int', default: 2, min: 1, help: 'argon2id time cost' },
  { key: 'argon2Parallelism', flag: 'argon2-parallelism', kind: 'int', default: 1, min: 1, help: 'argon2id lanes' },
  { key: 'argon2Concurrency', flag: 'argon2-concurrency', kind: 'int', default: 0, min: 0, help: 'password hashes computed at once, each holding its memory cost (0: as many as libuv has threads)' },
  { key: 'resetCodeTtlSeconds', flag: 'reset-code-ttl', kind: 'int', default: 3600, min: 1, help: 'seconds a password-reset code stays valid' },
  { key: 'codeAttemptLimit', flag: 'code-attempt-limit', kind: 'int', default: 5, min: 1, help: 'wrong code attempts per user per hour' },
  { key: 'webauthnRpId', flag: 'webauthn-rp-id', kind: 'string', default: undefined, help: "passkey relying party id (a host name, e.g. localhost) for pools whose WebAuthnConfiguration sets none" },
  { key: 'revokeTokensOnPasswordReset', flag: 'revoke-tokens-on-reset', kind: 'bool', default: true, help: 'revoke refresh tokens when a password reset completes' },
  { key: 'devMessages', flag: 'dev-messages', kind: 'bool', default: false, help: 'serve queued messages (with codes) at GET /_dev/messages, to loopback clients and only while no developer credentials exist' },
  { key: 'console', flag: 'console', kind: 'console', default: 'auto', help: 'the admin web console at /_console: on, off, or auto (on when --host is a loopback address); it calls the API like any client (docs/console.md)' },
  { key: 'smtpUrl', flag: 'smtp-url', kind: 'string', default: undefined, help: 'smtp:// or smtps:// URL of the mail server; unset keeps email in the outbox' },
  { key: 'smtpTlsRejectUnauthorized', flag: 'smtp-tls-reject-unauthorized', kind: 'bool', default: true, help: "refuse a mail server whose TLS certificate does not verify (false: accept self-signed, tests only)" },
  { key: 'emailFrom', flag: 'email-from', kind: 'string', default: 'no-reply@verificationemail.com', help: "sender address when the pool's EmailConfiguration has none" },
  { key: 'smsTransport', flag: 'sms-transport', kind: 'smsTransport', default: 'outbox', help: 'outbox, webhook or sns' },
  { key: 'smsWebhookUrl', flag: 'sms-webhook-url', kind: 'string', default: undefined, help: 'URL that receives SMS as a JSON POST (sms-transport webhook)' },
  { key: 'smsWebhookSecret', flag: 'sms-webhook-secret', kind: 'string', default: undefined, help: 'value of the X-Userpoold-Secret header on webhook calls' },
  { key: 'snsEndpoint', flag: 'sns-endpoint', kind: 'string', default: undefined, help: 'SNS endpoint override (sms-transport sns)' },
  { key: 'lambdaEndpoint', flag: 'lambda-endpoint', kind: 'string', default: undefined, help: 'Lambda endpoint override for triggers invoked through the Invoke API' },
  { key: 'kmsEndpoint', flag: 'kms-endpoint', kind: 'string', default: undefined, help: "KMS endpoint override for encrypting the codes sent to CustomEmailSender/CustomSMSSender functions (the pool's KMSKeyID)" },
  { key: 'triggersFile', flag: 'triggers-file', kind: 'string', default: undefined, help: 'JSON file mapping Lambda ARNs to invokers (url, module or lambda)' },
  { key: 'triggerTimeoutMs', flag: 'trigger-timeout-ms', kind: 'int', default: 5000, min: 1, help: 'milliseconds a CustomMessage function may run' },
  { key: 'deliveryMaxAttempts', flag: 'delivery-max-attempts', kind: 'int', default: 8, min: 1, help: 'delivery tries before a message is marked failed' },
  { key: 'deliveryBackoffMs', flag: 'delivery-backoff-ms', kind: 'int', default: 1000, min: 1, help: 'first retry delay, doubling per failed try (capped at 1 hour)' },
  { key: 'deliveryPollMs', flag: 'delivery-poll-ms', kind: 'int', default: 500, min: 10, help: 'how often the delivery worker looks for due messages' },
  { key: 'deliveryClaimTtlMs', flag: 'delivery-claim-ttl-ms', kind: 'int', default: 300000, min: 1000, help: 'how long a worker holds a message it is sending; a crashed worker\'s messages are retried after it' },
  { key: 'importClaimTtlMs', flag: 'import-claim-ttl-ms', kind: 'int', default: 30000, min: 1000, help: 'how long a user import job stays with the runner that claimed it without progress; a crashed runner\'s job resumes elsewhere after it' },
  { key: 'logDeliveryDir', flag: 'log-delivery-dir', kind: 'string', default: undefined, help: "folder for pools' user notification and user auth events logs (SetLogDeliveryConfiguration): log group NAME is written to NAME.log, JSON lines; unset: configurations are kept, nothing is written" },
  { key: 'compromisedPasswords', flag: 'compromised-passwords', kind: 'string', default: undefined, help: "file of compromised passwords, one a line, for threat protection's compromised-credentials check (SetRiskConfiguration); read at start and kept only as keyed hashes; unset: no password counts as compromised" },
  { key: 'credentialsFile', flag: 'credentials-file', kind: 'string', default: undefined, help: 'JSON or YAML file of developer credentials and their policies; with none (and none stored) signed operations are open, on loopback only' },
  { key: 'insecureOpen', flag: 'insecure-open', kind: 'bool', default: false, help: 'allow a non-loopback address without any credentials (every signed operation open to anyone who reaches the port)' },
  { key: 'sigv4ClockSkewSeconds', flag: 'sigv4-clock-skew-seconds', kind: 'int', default: 300, min: 1, help: 'how far a signed request date may be from the server clock' },
  { key: 'quotas', flag: 'quotas', kind: 'string', default: 'off', help: "request-rate quotas per category: off, aws (AWS's defaults) or FILE.json of per-category rates over AWS's" },
  { key: 'publicRateLimitPerIp', flag: 'public-rate-limit-per-ip', kind: 'int', default: 300, min: 0, help: 'requests per minute per source address to public sign-in, sign-up and recovery operations (0: no limit; in open mode, loopback clients are not counted)' },
  { key: 'sweepIntervalSeconds', flag: 'sweep-interval-seconds', kind: 'int', default: 600, min: 0, help: 'seconds between deletions of expired tokens, codes, counters and old messages and audit entries (0: never)' },
  { key: 'outboxRetentionDays', flag: 'outbox-retention-days', kind: 'int', default: 7, min: 0, help: 'days delivered or failed messages are kept (0: forever)' },
  { key: 'auditRetentionDays', flag: 'audit-retention-days', kind: 'int', default: 90, min: 0, help: 'days audit log entries are kept (0: forever)' },
  { key: 'maxBodyBytesInFlight', flag: 'max-body-bytes-in-flight', kind: 'int', default: 64 * 1024 * 1024, min: 1024 * 1024, help: 'request body bytes all requests together may hold at once; beyond it a request is refused at once (TooManyRequestsException)' },
  { key: 'requestTimeoutSeconds', flag: 'request-timeout-seconds', kind: 'int', default: 30, min: 1, help: "seconds a request's headers and body may take to arrive before the connection is closed" },
  { key: 'maxConnectionsPerAddress', flag: 'max-connections-per-address', kind: 'int', default: 0, min: 0, help: 'open connections one remote address may hold, more are closed (0: no limit; leave 0 behind a proxy)' },
  { key: 'seed', flag: 'seed', kind: 'string', default: undefined, help: 'YAML or JSON file of pools, app clients, users and credentials applied at start, idempotently (docs/seed.md)' },
];

const envName = (flag: string) => `USERPOOLD_${flag.toUpperCase().replace(/-/g, '_')}`;

function parseValue(spec: OptionSpec, raw: unknown, source: string): Config[keyof Config] {
  const fail = (why: string): never => {
    throw new ConfigError(`${source}: ${why}`);
  };
  const text = typeof raw === 'string' ? raw : undefined;
  switch (spec.kind) {
    case 'string':
      if (typeof raw !== 'string' || raw === '') fail('expected a non-empty string');
      return raw as string;
    case 'port':
    case 'int': {
      const n = typeof raw === 'number' ? raw : text !== undefined && /^\d+$/.test(text) ? Number(text) : NaN;
      if (!Number.isSafeInteger(n)) fail('expected a whole number');
      if (spec.kind === 'port' && (n < 0 || n > 65535)) fail('expected a port from 0 to 65535');
      if (spec.min !== undefined && n < spec.min) fail(`expected at least ${spec.min}`);
      return n;
    }
    case 'bool':
      if (typeof raw === 'boolean') return raw;
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      return fail('expected true or false');
    case 'logLevel':
      if (!LOG_LEVELS.includes(raw as LogLevel)) fail(`expected one of ${LOG_LEVELS.join(', ')}`);
      return raw as LogLevel;
    case 'region':
      if (typeof raw !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(raw)) fail('expected a region such as us-east-1');
      return raw as string;
    case 'issuerFormat':
      if (raw !== 'server' && raw !== 'aws') fail('expected server or aws');
      return raw as string;
    case 'console':
      if (raw !== 'auto' && raw !== 'on' && raw !== 'off') fail('expected auto, on or off');
      return raw as string;
    case 'smsTransport':
      if (raw !== 'outbox' && raw !== 'webhook' && raw !== 'sns') fail('expected outbox, webhook or sns');
      return raw as string;
    case 'accountId':
      if (typeof raw !== 'string' || !/^\d{12}$/.test(raw)) fail('expected 12 digits');
      return raw as string;
  }
}

export function defaultConfig(): Config {
  const config = {} as Record<string, unknown>;
  for (const spec of OPTIONS) config[spec.key] = spec.default;
  return config as unknown as Config;
}

/** Builds the configuration from flags, environment and an optional JSON file. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): Config {
  const flags = parseFlags(argv);
  const configPath = flags.get('config') ?? env.USERPOOLD_CONFIG;
  flags.delete('config');
  const file = configPath === undefined ? {} : readConfigFile(configPath);
  const config = defaultConfig() as unknown as Record<string, unknown>;
  for (const spec of OPTIONS) {
    if (spec.key in file) config[spec.key] = parseValue(spec, file[spec.key], `config file key "${spec.key}"`);
    const fromEnv = env[envName(spec.flag)];
    if (fromEnv !== undefined) config[spec.key] = parseValue(spec, fromEnv, envName(spec.flag));
    const fromFlag = flags.get(spec.flag);
    if (fromFlag !== undefined) config[spec.key] = parseValue(spec, fromFlag, `--${spec.flag}`);
    flags.delete(spec.flag);
  }
  for (const name of Object.keys(env)) {
    // A mistyped variable would otherwise be ignored without a word.
    // USERPOOLD_TEST_* belong to the test suite (e.g. USERPOOLD_TEST_DATABASE_URL), not the server.
    if (name.startsWith('USERPOOLD_') && !name.startsWith('USERPOOLD_TEST_') && name !== 'USERPOOLD_CONFIG' && !OPTIONS.some((o) => envName(o.flag) === name)) {
      throw new ConfigError(`unknown environment variable ${name} (see userpoold --help)`);
    }
  }
  for (const key of Object.keys(file)) {
    if (!OPTIONS.some((o) => o.key === key)) throw new ConfigError(`config file: unknown key "${key}"`);
  }
  const unknown = [...flags.keys()][0];
  if (unknown !== undefined) throw new ConfigError(`unknown flag --${unknown} (see userpoold --help)`);
  return config as unknown as Config;
}

function parseFlags(argv: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument "${arg}" (see userpoold --help)`);
    const eq = arg.indexOf('=');
    if (eq > 0) {
      flags.set(arg.slice(2, eq), arg.slice(eq + 1));
      continue;
    }
    const name = arg.slice(2);
    const spec = OPTIONS.find((o) => o.flag === name);
    const next = argv[i + 1];
    if (spec?.kind === 'bool' && (next === undefined || next.startsWith('--'))) {
      flags.set(name, 'true');
      continue;
    }
    if (next === undefined) throw new ConfigError(`--${name} needs a value`);
    flags.set(name, next);
    i++;
  }
  return flags;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`config file ${path} is not valid JSON`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${path} must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

export function helpText(): string {
  const lines = OPTIONS.map((o) => {
    const def = o.default === undefined ? '' : ` (default ${String(o.default)})`;
    const value = { string: 'TEXT', port: 'PORT', int: 'N', bool: '[true|false]', logLevel: 'LEVEL', region: 'REGION', accountId: 'ID', smsTransport: 'outbox|webhook|sns', issuerFormat: 'server|aws', console: 'auto|on|off' }[o.kind];
    return `  ${`--${o.flag} ${value}`.padEnd(36)} ${o.help}${def}\n  ${''.padEnd(36)} env ${envName(o.flag)}, config key "${o.key}"`;
  });
  return [
    'userpoold: a server for the Amazon Cognito user-pool API',
    '',
    'Usage:',
    '  userpoold [serve] [options]          start the server (the default command)',
    '  userpoold messages [options]         print queued messages (codes included), oldest first;',
    '      --pool ID  --user NAME  --limit N (default 50)   reads the database of --data-dir',
    '  userpoold credentials create --name NAME [--policy FILE] [--arn ARN] [options]',
    '                                       make a developer key pair, print it once, store it sealed;',
    '                                       without --policy it may call every operation on every pool',
    '  userpoold credentials list [options] the stored access key ids and ARNs (never secrets)',
    '  userpoold credentials seal [options] read a secret on stdin, print it sealed with the server key',
    '                                       (for secretSealed in a --credentials-file)',
    '  userpoold audit [options]            print the audit log (who called what, how it ended), oldest first;',
    '      --pool ID  --limit N (default 50)   reads the database of --data-dir or --database-url',
    '  userpoold export [options] > dump.jsonl',
    '                                       every table of the database of --data-dir or --database-url',
    '                                       as JSON lines (sealed values stay sealed)',
    '  userpoold import [--force] [options] < dump.jsonl',
    '                                       load a dump into an empty database (--force: replace its contents);',
    "                                       needs the exporting server's key",
    '  userpoold seed export --pool ID [--with-secrets] [options] > seed.yaml',
    '                                       the seed file of a pool, for --seed (no password hashes;',
    '                                       client secrets only with --with-secrets)',
    '  userpoold seed check FILE [options]  validate a seed file without starting',
    '  userpoold --help                     this text',
    '',
    'Options (a flag wins over its environment variable, which wins over the config file):',
    `  ${'--config PATH'.padEnd(36)} JSON file whose keys are the config keys below`,
    `  ${''.padEnd(36)} env USERPOOLD_CONFIG`,
    ...lines,
  ].join('\n');
}
