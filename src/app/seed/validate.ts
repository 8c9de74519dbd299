import type { Config } from '../../kernel/config.js';
import { ServiceError } from '../../kernel/errors.js';
import { OPERATIONS } from '../../model/generated/operations.js';
import { SHAPES } from '../../model/generated/shapes.js';
import type { CreateUserPoolClientRequest, CreateUserPoolRequest } from '../../model/generated/types.js';
import { validateInput, knownMembersOnly } from '../../http/api/validate.js';
import { poolSettingsFromRequest, type PoolSettings } from '../../domain/pools/user-pool.js';
import { clientSettingsFromRequest, type ClientSettings } from '../../domain/clients/app-client.js';
import { assertPasswordMeetsPolicy } from '../../domain/pools/password-policy.js';
import { checkAttributeWrites, initialAttributes } from '../../domain/users/attributes.js';
import { newUsername } from '../../domain/users/new-user.js';
import { activeAliases, lookupKey } from '../../domain/users/username.js';
import { parsePolicy, PolicyError } from '../../services/credentials/policy.js';
import { ACCESS_KEY_ID, PRINCIPAL_NAME, userArn } from '../../services/credentials/principals.js';
import { SEED_USER_STATUSES, type ClientPlan, type CredentialPlan, type PoolPlan, type SeedPlan, type SeedUserStatus, type UserPlan } from './plan.js';
import { describeProblem, formatPath, seedProblems, type SeedPath, type SeedSource } from './source.js';
import { seededSub, stableJson } from './stable-json.js';

type Raw = Record<string, unknown>;

const GROUPS_NOT_BUILT =
  'groups are not built in userpoold yet (the groups area: CreateGroup, AdminAddUserToGroup); remove the groups key, the seed will take it once groups exist';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Checks a whole seed before anything is written, with the rules the API applies: the model's
 * constraints (validateInput with the operation's input shape) and the domain's (pool and client
 * settings, attribute schema, password policy). Every problem is collected, each naming its file,
 * line and path; one problem means nothing is applied.
 */
export function validateSeed(source: SeedSource, config: Pick<Config, 'region' | 'accountId'>): SeedPlan {
  const problems: string[] = [];
  const report = (path: SeedPath, message: string) => problems.push(describeProblem(source, path, message));
  const plan = readSeed(source.root, config, report);
  if (problems.length > 0) throw seedProblems(source, problems);
  return plan;
}

type Report = (path: SeedPath, message: string) => void;

function readSeed(root: unknown, config: Pick<Config, 'region' | 'accountId'>, report: Report): SeedPlan {
  const plan: SeedPlan = { pools: [], credentials: [] };
  if (root === null || root === undefined) return plan;
  const top = object(root, [], report);
  if (!top) return plan;
  onlyKeys(top, [], ['pools', 'credentials', 'groups'], report);
  if (top.groups !== undefined) report(['groups'], GROUPS_NOT_BUILT);
  const poolIds = new Set<string>();
  const clientIds = new Set<string>();
  list(top.pools, ['pools'], report).forEach((raw, i) => {
    const pool = readPool(raw, ['pools', i], config, clientIds, report);
    if (!pool) return;
    if (poolIds.has(pool.id)) report(['pools', i, 'id'], `pool ${pool.id} appears twice`);
    poolIds.add(pool.id);
    plan.pools.push(pool);
  });
  const keyIds = new Set<string>();
  list(top.credentials, ['credentials'], report).forEach((raw, i) => {
    const credential = readCredential(raw, ['credentials', i], config, report);
    if (!credential) return;
    if (keyIds.has(credential.accessKeyId)) report(['credentials', i, 'accessKeyId'], `access key ${credential.accessKeyId} appears twice`);
    keyIds.add(credential.accessKeyId);
    plan.credentials.push(credential);
  });
  return plan;
}

function readPool(raw: unknown, at: SeedPath, config: Pick<Config, 'region'>, clientIds: Set<string>, report: Report): PoolPlan | undefined {
  const p = object(raw, at, report);
  if (!p) return undefined;
  onlyKeys(p, at, ['id', 'name', 'settings', 'clients', 'users', 'groups'], report);
  if (p.groups !== undefined) report([...at, 'groups'], GROUPS_NOT_BUILT);
  const id = text(p, 'id', at, report);
  const name = text(p, 'name', at, report);
  if (id === undefined || name === undefined) return undefined;
  // A pool id names its region (`us-east-1_AbC`): ARNs, token issuers and SDKs read it from there.
  if (!id.startsWith(`${config.region}_`)) {
    report([...at, 'id'], `pool id ${id} must begin with the server's region: ${config.region}_ (set --region to serve another one)`);
    return undefined;
  }
  if (!api(() => check(OPERATIONS.DescribeUserPool.input, { UserPoolId: id }), [...at, 'id'], report)) return undefined;
  const requested = settingsObject(p.settings, [...at, 'settings'], 'CreateUserPool', ['PoolName'], report);
  if (!requested) return undefined;
  const settingsAt = [...at, 'settings'];
  const settings = api(() => {
    const input = { ...requested, PoolName: name };
    validateInput(OPERATIONS.CreateUserPool.input as string, input);
    const { PoolName: _name, ...rest } = knownMembersOnly(OPERATIONS.CreateUserPool.input as string, input) as CreateUserPoolRequest;
    return poolSettingsFromRequest(rest);
  }, settingsAt, report, [...at, 'name']);
  if (!settings) return undefined;

  const pool: PoolPlan = { at, id, name, settings, clients: [], users: [] };
  list(p.clients, [...at, 'clients'], report).forEach((rawClient, i) => {
    const client = readClient(rawClient, [...at, 'clients', i], pool, report);
    if (!client) return;
    // Client ids are unique across pools, as in Cognito (ClientId alone names a client).
    if (clientIds.has(client.id)) report([...at, 'clients', i, 'id'], `client ${client.id} appears twice`);
    clientIds.add(client.id);
    pool.clients.push(client);
  });
  const taken = new Map<string, string>();
  list(p.users, [...at, 'users'], report).forEach((rawUser, i) => {
    const userAt = [...at, 'users', i];
    const user = readUser(rawUser, userAt, pool, report);
    if (!user) return;
    // Two seeded users may not share a username or a sign-in alias: the store would refuse the second.
    const keys = [`username ${lookupKey(settings, user.username)}`, ...Object.entries(activeAliases(settings, user.attributes)).filter(([, v]) => v !== null).map(([k, v]) => `${k} ${v}`)];
    for (const key of keys) {
      const first = taken.get(key);
      if (first !== undefined) report(userAt, `${key} is already taken by ${first} in this pool`);
      else taken.set(key, formatPath(userAt));
    }
    pool.users.push(user);
  });
  return pool;
}

const CLIENT_OWN = ['UserPoolId', 'ClientName', 'ClientSecret', 'GenerateSecret'];

function readClient(raw: unknown, at: SeedPath, pool: PoolPlan, report: Report): ClientPlan | undefined {
  const c = object(raw, at, report);
  if (!c) return undefined;
  onlyKeys(c, at, ['id', 'name', 'secret', 'generateSecret', 'settings'], report);
  const id = text(c, 'id', at, report);
  const name = text(c, 'name', at, report);
  if (id === undefined || name === undefined) return undefined;
  const fixed = c.secret === undefined ? undefined : text(c, 'secret', at, report);
  if (c.generateSecret !== undefined && typeof c.generateSecret !== 'boolean') report([...at, 'generateSecret'], 'expected true or false');
  if (fixed !== undefined && c.generateSecret === true) report([...at, 'generateSecret'], 'give either secret or generateSecret: true, not both');
  if (!api(() => check(OPERATIONS.DescribeUserPoolClient.input, { UserPoolId: pool.id, ClientId: id }), [...at, 'id'], report)) return undefined;
  const requested = settingsObject(c.settings, [...at, 'settings'], 'CreateUserPoolClient', CLIENT_OWN, report);
  if (!requested) return undefined;
  const settings = api(() => {
    const input = { ...requested, UserPoolId: pool.id, ClientName: name, ...(fixed !== undefined && { ClientSecret: fixed }) };
    validateInput(OPERATIONS.CreateUserPoolClient.input as string, input);
    const known = knownMembersOnly(OPERATIONS.CreateUserPoolClient.input as string, input) as CreateUserPoolClientRequest;
    const { UserPoolId: _pool, ClientName: _name, ClientSecret: _secret, GenerateSecret: _generate, ...rest } = known;
    return clientSettingsFromRequest(rest as ClientSettings, pool.settings, 'creating');
  }, [...at, 'settings'], report, at);
  if (!settings) return undefined;
  const secret = fixed !== undefined ? { kind: 'fixed' as const, value: fixed } : c.generateSecret === true ? { kind: 'generate' as const } : { kind: 'none' as const };
  return { at, id, name, secret, settings };
}

function readUser(raw: unknown, at: SeedPath, pool: PoolPlan, report: Report): UserPlan | undefined {
  const u = object(raw, at, report);
  if (!u) return undefined;
  onlyKeys(u, at, ['username', 'sub', 'status', 'enabled', 'attributes', 'password', 'temporaryPassword', 'withoutPassword'], report);
  const given = text(u, 'username', at, report);
  if (given === undefined) return undefined;
  const status = (u.status ?? (u.temporaryPassword !== undefined ? 'FORCE_CHANGE_PASSWORD' : 'CONFIRMED')) as SeedUserStatus;
  if (!SEED_USER_STATUSES.includes(status)) {
    report([...at, 'status'], `expected one of ${SEED_USER_STATUSES.join(', ')}`);
    return undefined;
  }
  if (u.enabled !== undefined && typeof u.enabled !== 'boolean') report([...at, 'enabled'], 'expected true or false');
  if (u.withoutPassword !== undefined && u.withoutPassword !== true) report([...at, 'withoutPassword'], 'expected true, or leave it out');
  const password = secretFor(u, status, at, report);
  if (password === false) return undefined;

  let sub: string;
  if (u.sub === undefined) sub = seededSub(pool.id, given);
  else {
    const value = text(u, 'sub', at, report);
    if (value === undefined) return undefined;
    if (!UUID.test(value)) {
      report([...at, 'sub'], 'expected a lower-case UUID');
      return undefined;
    }
    sub = value;
  }
  const writes = attributeList(u.attributes, [...at, 'attributes'], report);
  if (!writes) return undefined;
  const settings: PoolSettings = pool.settings;
  const checked = api(() => {
    validateInput(OPERATIONS.AdminCreateUser.input as string, { UserPoolId: pool.id, Username: given, UserAttributes: writes });
    const { username, attribute } = newUsername(settings, given, sub);
    checkAttributeWrites(settings, writes, 'create');
    return { username, attributes: { ...initialAttributes(settings, writes), ...(attribute && { [attribute.name]: attribute.value }) } };
  }, at, report, [...at, 'attributes']);
  if (!checked) return undefined;
  if (password !== null) {
    const passwordAt = [...at, u.password !== undefined ? 'password' : 'temporaryPassword'];
    const ok = api(() => {
      validateInput(OPERATIONS.AdminSetUserPassword.input as string, { UserPoolId: pool.id, Username: given, Password: password });
      assertPasswordMeetsPolicy(settings, password);
      return true;
    }, passwordAt, report);
    if (!ok) return undefined;
  }
  return { at, given, username: checked.username, sub, status, enabled: u.enabled !== false, attributes: checked.attributes, password };
}

/**
 * The secret a user starts with, by status. A CONFIRMED or UNCONFIRMED user has a password, a
 * FORCE_CHANGE_PASSWORD user a temporary password, a RESET_REQUIRED user none. `withoutPassword:
 * true` (what `seed export` writes, since hashes never leave the store) creates the user with no
 * usable password. false: a problem was reported.
 */
function secretFor(u: Raw, status: SeedUserStatus, at: SeedPath, report: Report): string | null | false {
  const has = (key: string) => u[key] !== undefined;
  const none = u.withoutPassword === true;
  const wrong = (key: string, why: string) => {
    report([...at, key], why);
    return false as const;
  };
  if (status === 'RESET_REQUIRED') {
    if (has('password')) return wrong('password', 'a RESET_REQUIRED user has no password (it sets one with ConfirmForgotPassword)');
    if (has('temporaryPassword')) return wrong('temporaryPassword', 'a RESET_REQUIRED user has no temporary password');
    return null;
  }
  const key = status === 'FORCE_CHANGE_PASSWORD' ? 'temporaryPassword' : 'password';
  const other = key === 'password' ? 'temporaryPassword' : 'password';
  if (has(other)) return wrong(other, `a ${status} user takes ${key}, not ${other}`);
  if (none && has(key)) return wrong('withoutPassword', `give ${key} or withoutPassword: true, not both`);
  if (none) return null;
  if (!has(key)) {
    report(at, `a ${status} user needs ${key} (or withoutPassword: true)`);
    return false;
  }
  const value = u[key];
  if (typeof value !== 'string' || value === '') return wrong(key, 'expected a non-empty string');
  return value;
}

function readCredential(raw: unknown, at: SeedPath, config: Pick<Config, 'accountId'>, report: Report): CredentialPlan | undefined {
  const c = object(raw, at, report);
  if (!c) return undefined;
  onlyKeys(c, at, ['name', 'accessKeyId', 'secretAccessKey', 'arn', 'policy'], report);
  const name = text(c, 'name', at, report);
  const accessKeyId = text(c, 'accessKeyId', at, report);
  const secretAccessKey = text(c, 'secretAccessKey', at, report);
  const arn = c.arn === undefined ? undefined : text(c, 'arn', at, report);
  if (name === undefined || accessKeyId === undefined || secretAccessKey === undefined) return undefined;
  if (!PRINCIPAL_NAME.test(name)) report([...at, 'name'], 'expected letters, digits and +=,.@_-, at most 64');
  if (!ACCESS_KEY_ID.test(accessKeyId)) report([...at, 'accessKeyId'], 'expected 16 to 128 letters, digits or _');
  if (c.policy === undefined) {
    report(at, 'policy is required (a principal without one may do nothing)');
    return undefined;
  }
  try {
    parsePolicy(c.policy, 'policy');
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    report([...at, 'policy'], err.message);
    return undefined;
  }
  return { at, accessKeyId, name, arn: arn ?? userArn(config.accountId, name), secretAccessKey, policy: stableJson(c.policy) };
}

// ---- small readers: each reports its own problem and returns undefined

function object(value: unknown, at: SeedPath, report: Report): Raw | undefined {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Raw;
  report(at, 'expected a map of keys to values');
  return undefined;
}

function list(value: unknown, at: SeedPath, report: Report): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  report(at, 'expected a list');
  return [];
}

function text(o: Raw, key: string, at: SeedPath, report: Report): string | undefined {
  const value = o[key];
  if (typeof value === 'string' && value !== '') return value;
  report(value === undefined ? at : [...at, key], value === undefined ? `${key} is required` : `${key}: expected a non-empty string`);
  return undefined;
}

function onlyKeys(o: Raw, at: SeedPath, known: readonly string[], report: Report): void {
  for (const key of Object.keys(o)) if (!known.includes(key)) report([...at, key], `unknown key "${key}" (expected ${known.join(', ')})`);
}

/**
 * The `settings` map: members of the operation's input, as in the API. A member the model does
 * not know would be ignored by the API, but in a file it is almost always a typo, so it is refused.
 */
function settingsObject(value: unknown, at: SeedPath, operation: 'CreateUserPool' | 'CreateUserPoolClient', own: readonly string[], report: Report): Raw | undefined {
  if (value === undefined || value === null) return {};
  const settings = object(value, at, report);
  if (!settings) return undefined;
  const shape = SHAPES[OPERATIONS[operation].input as string];
  const members = shape?.type === 'structure' ? Object.keys(shape.members) : [];
  // The rest is still checked, so one run reports every problem of the file.
  const kept: Raw = {};
  for (const [key, item] of Object.entries(settings)) {
    if (own.includes(key)) report([...at, key], `${key} is given by the seed's own keys (id, name, secret, generateSecret), not in settings`);
    else if (!members.includes(key)) report([...at, key], `${key} is not a member of ${operation}'s input`);
    else kept[key] = item;
  }
  return kept;
}

/** `attributes: { name: value }` as the API's list; booleans and numbers become their text. */
function attributeList(value: unknown, at: SeedPath, report: Report): { Name: string; Value: string }[] | undefined {
  if (value === undefined || value === null) return [];
  const attributes = object(value, at, report);
  if (!attributes) return undefined;
  const result: { Name: string; Value: string }[] = [];
  for (const [name, v] of Object.entries(attributes)) {
    if (typeof v === 'string') result.push({ Name: name, Value: v });
    else if (typeof v === 'boolean' || typeof v === 'number') result.push({ Name: name, Value: String(v) });
    else {
      report([...at, name], 'expected a string');
      return undefined;
    }
  }
  return result;
}

/** The model's constraints on an operation's input; true when they hold (api() turns a throw into a problem). */
function check(shape: string | null, input: Raw): true {
  validateInput(shape as string, input);
  return true;
}

/**
 * Runs an API rule; a ServiceError becomes a problem at the path it names (validateInput's
 * `at 'policies.passwordPolicy.minimumLength'` is followed into the settings) or at `at`.
 */
function api<T>(fn: () => T, at: SeedPath, report: Report, fallback: SeedPath = at): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof ServiceError)) throw err;
    const member = /at '([^']+)'/.exec(err.message)?.[1];
    report(member === undefined ? fallback : [...at, ...memberPath(member)], `${err.name}: ${err.message}`);
    return undefined;
  }
}

/** `policies.passwordPolicy.minimumLength` or `schema.2.member.name` as a seed path below settings. */
function memberPath(member: string): (string | number)[] {
  const path: (string | number)[] = [];
  for (const part of member.split('.')) {
    if (part === 'member') continue;
    if (/^\d+$/.test(part)) path.push(Number(part) - 1);
    else path.push(part.charAt(0).toUpperCase() + part.slice(1));
  }
  return path;
}
