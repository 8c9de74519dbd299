import { readFileSync } from 'node:fs';
import { ConfigError } from '../../kernel/config.js';
import type { SecretBox } from '../../kernel/secret-box.js';
import { parsePolicy, PolicyError, type Policy } from './policy.js';

/** A caller of the signed operations: who it is, the key it signs with, what it may do. */
export interface Principal {
  name: string;
  arn: string;
  accessKeyId: string;
  /** Held in memory only to verify signatures; never logged. */
  secretAccessKey: string;
  /** Set for temporary credentials: requests must carry exactly this X-Amz-Security-Token. */
  sessionToken?: string | undefined;
  policy: Policy;
}

/** IAM's access key id alphabet and length (the model's AccessKeyId shape is [\w]+, 16 to 128). */
export const ACCESS_KEY_ID = /^\w{16,128}$/;
export const PRINCIPAL_NAME = /^[\w+=,.@-]{1,64}$/;

export const userArn = (accountId: string, name: string) => `arn:aws:iam::${accountId}:user/${name}`;

/**
 * Reads `--credentials-file`: JSON or YAML (YAML is a superset of JSON), either a list of
 * principals or `{ principals: [...] }`. Each has name, accessKeyId, exactly one of
 * secretAccessKey and secretSealed (sealed with this server's key), optional arn and
 * sessionToken, and a policy. Problems are ConfigErrors that never quote a secret.
 */
export async function loadCredentialsFile(path: string, accountId: string, secrets: SecretBox): Promise<Principal[]> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read credentials file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  // Loaded only for a credentials file: a server without one does not carry the YAML parser (9 MB).
  const { parse: parseYaml } = await import('yaml');
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch {
    throw new ConfigError(`credentials file ${path} is neither valid JSON nor valid YAML`);
  }
  const list = Array.isArray(doc) ? doc : doc !== null && typeof doc === 'object' ? (doc as Record<string, unknown>).principals : undefined;
  if (!Array.isArray(list)) throw new ConfigError(`credentials file ${path}: expected a list of principals or { principals: [...] }`);
  const seen = new Set<string>();
  return list.map((raw, i) => {
    const principal = readPrincipal(raw, `credentials file ${path}: principals[${i}]`, accountId, secrets);
    if (seen.has(principal.accessKeyId)) throw new ConfigError(`credentials file ${path}: access key ${principal.accessKeyId} appears twice`);
    seen.add(principal.accessKeyId);
    return principal;
  });
}

function readPrincipal(raw: unknown, where: string, accountId: string, secrets: SecretBox): Principal {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`${where}: expected an object`);
  const p = raw as Record<string, unknown>;
  const known = new Set(['name', 'arn', 'accessKeyId', 'secretAccessKey', 'secretSealed', 'sessionToken', 'policy']);
  for (const key of Object.keys(p)) if (!known.has(key)) throw new ConfigError(`${where}: unknown key "${key}"`);
  const text = (key: string): string | undefined => {
    const v = p[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '') throw new ConfigError(`${where}: ${key} must be a non-empty string`);
    return v;
  };
  const name = text('name');
  if (name === undefined || !PRINCIPAL_NAME.test(name)) throw new ConfigError(`${where}: name is required (letters, digits and +=,.@_-, at most 64)`);
  const accessKeyId = text('accessKeyId');
  if (accessKeyId === undefined || !ACCESS_KEY_ID.test(accessKeyId)) throw new ConfigError(`${where}: accessKeyId is required (16 to 128 letters, digits or _)`);
  const plain = text('secretAccessKey');
  const sealed = text('secretSealed');
  if ((plain === undefined) === (sealed === undefined)) throw new ConfigError(`${where}: exactly one of secretAccessKey and secretSealed is required`);
  let secretAccessKey = plain;
  if (sealed !== undefined) {
    try {
      secretAccessKey = secrets.open(sealed);
    } catch {
      throw new ConfigError(`${where}: secretSealed does not open with this server's key (was it sealed with another data folder's server.key?)`);
    }
  }
  if (p.policy === undefined) throw new ConfigError(`${where}: policy is required (a principal without one may do nothing)`);
  let policy: Policy;
  try {
    policy = parsePolicy(p.policy, `${where}.policy`);
  } catch (err) {
    if (err instanceof PolicyError) throw new ConfigError(err.message);
    throw err;
  }
  return {
    name,
    arn: text('arn') ?? userArn(accountId, name),
    accessKeyId,
    secretAccessKey: secretAccessKey as string,
    sessionToken: text('sessionToken'),
    policy,
  };
}
