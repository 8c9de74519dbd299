import type { SchemaAttributeType } from '../../model/generated/types.js';
import { OPERATIONS } from '../../model/generated/operations.js';
import { ConfigError } from '../../kernel/config.js';
import type { SecretBox } from '../../kernel/secret-box.js';
import { knownMembersOnly } from '../../http/api/validate.js';
import { settingsOf } from '../../domain/pools/user-pool.js';
import { clientSettingsOf } from '../../domain/clients/app-client.js';
import { STANDARD_ATTRIBUTES } from '../../domain/users/standard-attributes.js';
import type { ClientRecord } from '../../domain/clients/client.js';
import type { UserListing } from '../../domain/users/user.js';
import type { PoolSettings } from '../../domain/pools/user-pool.js';
import type { Store } from '../../ports/store.js';
import { SEED_USER_STATUSES, type SeedUserStatus } from './plan.js';
import { stableJson } from './stable-json.js';

export interface SeedExport {
  /** The seed file, YAML. */
  text: string;
  /** Users left out (statuses a seed cannot create), one line each. */
  skipped: string[];
}

const PAGE = 100;

const HEADER = [
  ' A seed exported by `userpoold seed export` (docs/seed.md).',
  ' Password hashes never leave the store: users that had a password are marked',
  ' `withoutPassword: true` and are created without a usable one; give them a `password`',
  ' (or `temporaryPassword`) here, or set one with AdminSetUserPassword after the start.',
];
const NO_SECRETS = ' Client secrets are not exported without --with-secrets: `generateSecret: true` gives a new client a new secret and leaves an existing client its own.';

/**
 * The seed of one pool: its settings as CreateUserPool takes them, its app clients, its users
 * with their attributes, status and sub (so ids stay the same where it is applied). Applying it
 * to the same store changes nothing.
 */
export async function exportPoolSeed(store: Store, poolId: string, options: { secrets?: SecretBox | undefined; withSecrets: boolean }): Promise<SeedExport> {
  const pool = await store.getPool(poolId);
  if (!pool) throw new ConfigError(`seed export: no pool ${poolId}`);
  const settings = settingsOf(pool);
  const clients = [];
  for await (const client of pages((after) => store.listClients(poolId, { limit: PAGE, after }), (c) => c.id)) {
    clients.push(exportClient(client, options));
  }
  const users = [];
  const skipped: string[] = [];
  for await (const user of pages((after) => store.listUsers(poolId, { limit: PAGE, after }), (u) => u.usernameKey)) {
    if (!(SEED_USER_STATUSES as readonly string[]).includes(user.status)) {
      skipped.push(`user ${user.username} (${user.status}): a seed cannot create a user in this status`);
      continue;
    }
    users.push(exportUser(user, settings));
  }
  const seed = { pools: [{ id: pool.id, name: pool.name, settings: exportPoolSettings(settings), clients, users }] };
  const { Document } = await import('yaml');
  const doc = new Document(seed);
  doc.commentBefore = [...HEADER, ...(options.withSecrets ? [] : [NO_SECRETS])].join('\n');
  return { text: doc.toString({ lineWidth: 0 }), skipped };
}

async function* pages<T>(fetch: (after: string | undefined) => Promise<T[]>, keyOf: (item: T) => string): AsyncGenerator<T> {
  let after: string | undefined;
  for (;;) {
    const page = await fetch(after);
    yield* page;
    if (page.length < PAGE) return;
    after = keyOf(page[page.length - 1] as T);
  }
}

/** Settings as CreateUserPool takes them: the stored schema becomes `Schema` again. */
function exportPoolSettings(settings: PoolSettings): Record<string, unknown> {
  const { SchemaAttributes, ...rest } = settings;
  const Schema = SchemaAttributes.flatMap((attr) => {
    const standard = STANDARD_ATTRIBUTES.find((s) => s.Name === attr.Name);
    if (standard) return attr.Name === 'sub' || stableJson(standard) === stableJson(attr) ? [] : [attr];
    // CreateUserPool takes custom names without their prefix (20 characters at most).
    return [{ ...attr, Name: attr.Name?.replace(/^custom:/, '') } satisfies SchemaAttributeType];
  });
  const known = knownMembersOnly(OPERATIONS.CreateUserPool.input as string, { ...rest, ...(Schema.length > 0 && { Schema }), PoolName: 'x' }) as Record<string, unknown>;
  delete known.PoolName;
  return known;
}

function exportClient(client: ClientRecord, options: { secrets?: SecretBox | undefined; withSecrets: boolean }): Record<string, unknown> {
  const settings = knownMembersOnly(OPERATIONS.CreateUserPoolClient.input as string, { ...clientSettingsOf(client) }) as Record<string, unknown>;
  for (const own of ['UserPoolId', 'ClientName', 'ClientSecret', 'GenerateSecret']) delete settings[own];
  const entry: Record<string, unknown> = { id: client.id, name: client.name };
  // A seed names one secret: the oldest active one (the one DescribeUserPoolClient shows).
  const oldest = client.clientSecrets[0];
  if (oldest !== undefined) {
    if (options.withSecrets) {
      if (!options.secrets) throw new ConfigError('seed export: --with-secrets needs the server key');
      entry.secret = options.secrets.open(oldest.sealed);
    } else entry.generateSecret = true;
  }
  entry.settings = settings;
  return entry;
}

function exportUser(user: UserListing, settings: PoolSettings): Record<string, unknown> {
  const { sub: _sub, ...attributes } = user.attributes;
  const entry: Record<string, unknown> = { username: givenUsername(user, settings), sub: user.sub };
  const status = user.status as SeedUserStatus;
  entry.status = status;
  if (!user.enabled) entry.enabled = false;
  if (status !== 'RESET_REQUIRED') entry.withoutPassword = true;
  if (Object.keys(attributes).length > 0) entry.attributes = attributes;
  return entry;
}

/** In pools whose users sign in with email or phone, the stored username is the sub: the seed names the user by the attribute. */
function givenUsername(user: UserListing, settings: PoolSettings): string {
  const signInWith: readonly string[] = settings.UsernameAttributes ?? [];
  for (const attribute of ['email', 'phone_number']) {
    const value = user.attributes[attribute];
    if (signInWith.includes(attribute) && value !== undefined) return value;
  }
  return user.username;
}
