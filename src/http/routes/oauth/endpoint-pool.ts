import type { IncomingHttpHeaders } from 'node:http';
import type { Deps } from '../../../services/deps.js';
import type { PoolRecord } from '../../../domain/pools/pool.js';
import { domainCandidatesOfHost } from '../../../domain/oauth/domain.js';

/** The user pool id pattern of the model: anything else is no pool's path. */
export const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

/** The pool whose endpoints a request reached, and the URL prefix they answer under. */
export interface EndpointPool {
  pool: PoolRecord;
  /** e.g. http://127.0.0.1:9229/us-east-1_abc, or https://auth.example.com for a custom domain. */
  base: string;
  /** Where the managed login cookies apply: `/<poolId>/`, or `/` on a domain's own host. */
  cookiePath: string;
}

/**
 * Which pool's OAuth endpoints a request reached (docs/oauth.md). Cognito serves them only at a
 * pool's domain; here they answer (1) under `/<poolId>/` on this server, for a pool that has a
 * domain, and (2) at the root when the Host header names a domain: a custom domain's name, or
 * `<prefix>.auth.<region>.amazoncognito.com` (e.g. through /etc/hosts or a proxy). A pool without
 * a domain has no endpoints, as on AWS.
 */
export async function endpointPool(
  deps: Pick<Deps, 'store' | 'config'>,
  params: Readonly<Record<string, string>>,
  headers: IncomingHttpHeaders,
  baseUrl: string,
): Promise<EndpointPool | undefined> {
  const poolId = params.poolId;
  if (poolId !== undefined) {
    const pool = await deps.store.getPool(poolId);
    if (!pool || (await deps.store.domainsOfPool(pool.id)).length === 0) return undefined;
    return { pool, base: `${(deps.config.publicUrl ?? baseUrl).replace(/\/+$/, '')}/${pool.id}`, cookiePath: `/${pool.id}/` };
  }
  const host = headers.host;
  if (host === undefined || host.length > 260) return undefined;
  const candidates = domainCandidatesOfHost(host, deps.config.region);
  // A prefix answers only under amazoncognito.com, a custom domain only by its own name.
  const asPrefix = candidates.prefix !== undefined ? await deps.store.getDomain(candidates.prefix) : undefined;
  const asCustom = asPrefix?.kind === 'prefix' ? undefined : await deps.store.getDomain(candidates.custom);
  const record = asPrefix?.kind === 'prefix' ? asPrefix : asCustom?.kind === 'custom' ? asCustom : undefined;
  if (!record) return undefined;
  const pool = await deps.store.getPool(record.poolId);
  if (!pool) return undefined;
  const scheme = baseUrl.startsWith('https:') ? 'https' : 'http';
  return { pool, base: `${scheme}://${host}`, cookiePath: '/' };
}
