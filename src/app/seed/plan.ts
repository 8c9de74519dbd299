import type { ClientSettings } from '../../domain/clients/app-client.js';
import type { PoolSettings } from '../../domain/pools/user-pool.js';
import type { Attributes } from '../../domain/users/attributes.js';
import type { SeedPath } from './source.js';

/**
 * A seed after validation: every value checked by the API's own rules, ready to be compared
 * with the store and applied. Each entry keeps its path for complaints found while applying.
 */
export interface SeedPlan {
  pools: PoolPlan[];
  credentials: CredentialPlan[];
}

export interface PoolPlan {
  at: SeedPath;
  id: string;
  name: string;
  /** As CreateUserPool would store them (AWS's defaults filled in). */
  settings: PoolSettings;
  clients: ClientPlan[];
  users: UserPlan[];
}

/** none: a public client; fixed: the seed's secret; generate: a random one at creation, kept afterwards. */
export type ClientSecretPlan = { kind: 'none' } | { kind: 'fixed'; value: string } | { kind: 'generate' };

export interface ClientPlan {
  at: SeedPath;
  id: string;
  name: string;
  secret: ClientSecretPlan;
  /** As CreateUserPoolClient would store them. */
  settings: ClientSettings;
}

/** The statuses a seed can give a user. */
export const SEED_USER_STATUSES = ['CONFIRMED', 'UNCONFIRMED', 'RESET_REQUIRED', 'FORCE_CHANGE_PASSWORD'] as const;
export type SeedUserStatus = (typeof SEED_USER_STATUSES)[number];

export interface UserPlan {
  at: SeedPath;
  /** The Username as the seed gives it (an email or phone number in UsernameAttributes pools). */
  given: string;
  /** The username as stored (the sub in UsernameAttributes pools). */
  username: string;
  sub: string;
  status: SeedUserStatus;
  enabled: boolean;
  /** Without `sub`, which is stored from the field above. */
  attributes: Attributes;
  /** The password (CONFIRMED, UNCONFIRMED) or temporary password (FORCE_CHANGE_PASSWORD); null: none stored. */
  password: string | null;
}

export interface CredentialPlan {
  at: SeedPath;
  accessKeyId: string;
  name: string;
  arn: string;
  secretAccessKey: string;
  /** The policy document as JSON text, keys in a stable order. */
  policy: string;
}
