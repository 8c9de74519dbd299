import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { splitOwnFlags } from './flags.js';
import { ConfigError, loadConfig } from '../kernel/config.js';
import { cryptoRandom, randomString } from '../kernel/random.js';
import { createSecretBox } from '../kernel/secret-box.js';
import { loadServerKey } from '../services/keys/server-key.js';
import { parsePolicy, PolicyError } from '../services/credentials/policy.js';
import { PRINCIPAL_NAME, userArn } from '../services/credentials/principals.js';
import { openStore } from '../storage/dialects.js';

const OWN_FLAGS = ['name', 'policy', 'arn'] as const;

/** Without --policy a key may call every operation on every pool: the usual admin key. */
const FULL_ACCESS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cognito-idp:*', Resource: '*' }] };
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * `userpoold credentials create --name NAME [--policy FILE] [--arn ARN] [server options]`
 * makes a key pair, prints it once (shaped like `aws iam create-access-key`), and stores only
 * the key id, the secret sealed with the server key, the ARN and the policy.
 * `userpoold credentials list [server options]` shows the stored keys, never their secrets.
 * `userpoold credentials seal [server options]` reads a secret on stdin and prints it sealed,
 * for the `secretSealed` field of a credentials file.
 */
export async function credentialsCommand(args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'create':
      return create(rest, env);
    case 'list':
      return list(rest, env);
    case 'seal':
      return seal(rest, env);
    default:
      throw new ConfigError('credentials: expected create, list or seal (see userpoold --help)');
  }
}

async function create(args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { own, rest } = splitOwnFlags('credentials', args, OWN_FLAGS);
  const name = own.get('name');
  if (name === undefined || !PRINCIPAL_NAME.test(name)) throw new ConfigError('credentials create: --name is required (letters, digits and +=,.@_-, at most 64)');
  const policyFile = own.get('policy');
  const policy = policyFile === undefined ? FULL_ACCESS : readPolicy(policyFile);
  const config = loadConfig(rest, env);
  const arn = own.get('arn') ?? userArn(config.accountId, name);
  const secrets = createSecretBox(loadServerKey(config, cryptoRandom), cryptoRandom);
  const accessKeyId = `AKIA${randomString(cryptoRandom, BASE32, 16)}`;
  const secretAccessKey = randomString(cryptoRandom, SECRET_ALPHABET, 40);
  const createdAt = Date.now();
  const store = await openStore(config);
  try {
    await store.insertCredential({ accessKeyId, name, arn, secretSealed: secrets.seal(secretAccessKey), policy: JSON.stringify(policy), createdAt });
  } finally {
    await store.close();
  }
  const shown = { AccessKey: { UserName: name, Arn: arn, AccessKeyId: accessKeyId, Status: 'Active', SecretAccessKey: secretAccessKey, CreateDate: new Date(createdAt).toISOString() } };
  process.stdout.write(JSON.stringify(shown, null, 2) + '\n');
  process.stderr.write('userpoold: the secret access key is shown only now; the server keeps it sealed with its key.\n');
}

async function list(args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadConfig(args, env);
  const store = await openStore(config);
  try {
    let after: string | undefined;
    for (;;) {
      const page = await store.listCredentials({ limit: 100, after });
      for (const c of page) process.stdout.write(`${c.accessKeyId}\t${c.arn}\t${new Date(c.createdAt).toISOString()}\n`);
      if (page.length < 100) break;
      after = page[page.length - 1]?.accessKeyId;
    }
  } finally {
    await store.close();
  }
}

async function seal(args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadConfig(args, env);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const secret = Buffer.concat(chunks).toString('utf8').trim();
  if (secret === '') throw new ConfigError('credentials seal: expected the secret access key on standard input');
  const secrets = createSecretBox(loadServerKey(config, cryptoRandom), cryptoRandom);
  process.stdout.write(secrets.seal(secret) + '\n');
}

function readPolicy(path: string): unknown {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(code ? `cannot read policy file ${path}: ${code}` : `policy file ${path} is neither valid JSON nor valid YAML`);
  }
  try {
    parsePolicy(doc, `policy file ${path}`);
  } catch (err) {
    if (err instanceof PolicyError) throw new ConfigError(err.message);
    throw err;
  }
  return doc;
}
