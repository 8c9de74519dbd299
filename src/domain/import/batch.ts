import type { PoolSettings } from '../pools/user-pool.js';
import type { AliasKind, UserRecord } from '../users/user.js';
import { activeAliases, lookupKey } from '../users/username.js';
import type { ImportedRow, RowOutcome } from './csv.js';

/** A row refused, as AWS logs it (DG23 cognito-user-pools-using-import-tool-cloudwatch). */
export interface RefusedRow {
  line: number;
  outcome: 'SKIPPED' | 'FAILED';
  message: string;
}

/** AWS's text for a row whose user exists (DG23 cognito-user-pools-using-import-tool-cloudwatch). */
export const ALREADY_EXISTS = 'The user already exists.';

export interface BatchPlan {
  users: UserRecord[];
  /** Subs of the users with cognito:mfa_enabled true. */
  mfa: string[];
  refused: RefusedRow[];
}

/** A row that passed the CSV rules, with its lookup keys. */
export interface Candidate {
  row: ImportedRow;
  usernameKey: string;
  aliases: Record<AliasKind, string | null>;
}

export function candidateOf(settings: PoolSettings, row: ImportedRow): Candidate {
  return { row, usernameKey: lookupKey(settings, row.username), aliases: activeAliases(settings, row.attributes) };
}

/**
 * Decides each row of a batch against what the pool holds (read in the batch's transaction) and
 * the rows before it: a username already there is SKIPPED ("The user already exists.", as AWS
 * logs it); a sign-in alias another user holds fails the row, except in pools whose users sign
 * in with that attribute, where it is that user and the row is skipped. Imported users are
 * RESET_REQUIRED without a password (DG23 cognito-user-pools-using-import-tool-password-reset),
 * created at the import time.
 */
export function planBatch(
  outcomes: readonly RowOutcome[],
  candidates: ReadonlyMap<number, Candidate>,
  taken: { usernames: ReadonlySet<string>; aliases: Readonly<Record<AliasKind, ReadonlySet<string>>> },
  poolId: string,
  now: number,
): BatchPlan {
  const plan: BatchPlan = { users: [], mfa: [], refused: [] };
  const usernames = new Set(taken.usernames);
  const aliases: Record<AliasKind, Set<string>> = {
    email: new Set(taken.aliases.email),
    phone_number: new Set(taken.aliases.phone_number),
    preferred_username: new Set(taken.aliases.preferred_username),
  };
  for (const outcome of outcomes) {
    if (!outcome.ok) {
      plan.refused.push({ line: outcome.line, outcome: 'FAILED', message: outcome.reason });
      continue;
    }
    const candidate = candidates.get(outcome.row.line) as Candidate;
    const { row } = candidate;
    if (usernames.has(candidate.usernameKey)) {
      plan.refused.push({ line: row.line, outcome: 'SKIPPED', message: ALREADY_EXISTS });
      continue;
    }
    const clash = (Object.keys(aliases) as AliasKind[]).find((kind) => candidate.aliases[kind] !== null && aliases[kind].has(candidate.aliases[kind] as string));
    if (clash !== undefined) {
      if (clash === row.usernameAttribute) plan.refused.push({ line: row.line, outcome: 'SKIPPED', message: ALREADY_EXISTS });
      else plan.refused.push({ line: row.line, outcome: 'FAILED', message: `An account with the given ${clash} already exists.` });
      continue;
    }
    usernames.add(candidate.usernameKey);
    for (const kind of Object.keys(aliases) as AliasKind[]) {
      const key = candidate.aliases[kind];
      if (key !== null) aliases[kind].add(key);
    }
    plan.users.push({
      poolId,
      sub: row.sub,
      username: row.username,
      usernameKey: candidate.usernameKey,
      status: 'RESET_REQUIRED',
      enabled: true,
      passwordHash: null,
      passwordUpdatedAt: null,
      srp: null,
      attributes: { sub: row.sub, ...row.attributes },
      aliases: candidate.aliases,
      createdAt: now,
      updatedAt: now,
    });
    if (row.mfaEnabled) plan.mfa.push(row.sub);
  }
  return plan;
}
