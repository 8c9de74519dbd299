import type { Deps } from '../../services/deps.js';
import { CODE_LIFETIME_MS, type CodeGrant } from '../../domain/oauth/grant.js';

/**
 * Authorization codes carry their grant sealed with the server key (nothing to store until it
 * is used) and are made single-use by the single-use port: the first exchange marks the code's
 * digest used until it expires, so a replay, on this or another instance, finds it taken.
 */
export function issueCode(deps: Pick<Deps, 'secrets' | 'clock'>, grant: Omit<CodeGrant, 'expiresAt'>): string {
  const sealed: CodeGrant = { ...grant, expiresAt: deps.clock.nowMs() + CODE_LIFETIME_MS };
  return deps.secrets.seal(JSON.stringify(sealed));
}

/** The code's grant if it is genuine, unexpired and not used before (it is used now); else undefined. */
export async function consumeCode(deps: Pick<Deps, 'secrets' | 'clock' | 'store'>, code: string): Promise<CodeGrant | undefined> {
  let grant: CodeGrant;
  try {
    grant = JSON.parse(deps.secrets.open(code)) as CodeGrant;
  } catch {
    return undefined;
  }
  const now = deps.clock.nowMs();
  if (typeof grant.expiresAt !== 'number' || now >= grant.expiresAt) return undefined;
  const fresh = await deps.store.useOnce(`oauth-code:${deps.secrets.digest('oauth-code', code)}`, grant.expiresAt, now);
  return fresh ? grant : undefined;
}
