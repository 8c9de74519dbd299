import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { DOMAIN_MESSAGES, domainNameProblem, managedLoginVersionProblem, type DomainRecord } from '../../domain/oauth/domain.js';
import { invalidParameter } from '../../kernel/errors.js';
import { UniqueViolation } from '../../ports/unique-violation.js';

/**
 * A prefix domain (no CustomDomainConfig) or a custom domain (with its certificate), ACTIVE at
 * once: nothing is deployed, the endpoints are this server's (docs/oauth.md). Names are unique
 * across pools, and a pool has at most one domain of each kind (cognito-facts-areas.md §4.1).
 */
export const createUserPoolDomain: Operation<'CreateUserPoolDomain', 'clock' | 'random' | 'store'> = (deps) => async (input) => {
  const problem = domainNameProblem(input.Domain, input.CustomDomainConfig) ?? managedLoginVersionProblem(input.ManagedLoginVersion);
  if (problem !== undefined) throw invalidParameter(problem);
  const kind = input.CustomDomainConfig ? 'custom' : 'prefix';
  return deps.store.transaction(async (tx) => {
    const { pool } = await loadPool(tx, input.UserPoolId);
    if ((await tx.domainsOfPool(pool.id)).some((d) => d.kind === kind)) throw invalidParameter(DOMAIN_MESSAGES.poolHasOne);
    const now = deps.clock.nowMs();
    const record: DomainRecord = {
      domain: input.Domain,
      poolId: pool.id,
      kind,
      certificateArn: input.CustomDomainConfig?.CertificateArn ?? null,
      // The CloudFront alias target AWS gives a custom domain (§4.1): its shape, made up here.
      cloudFrontDomain: kind === 'custom' ? `d${deps.random.bytes(7).toString('hex')}.cloudfront.net` : null,
      managedLoginVersion: input.ManagedLoginVersion ?? 1,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await tx.insertDomain(record);
    } catch (err) {
      if (err instanceof UniqueViolation) throw invalidParameter(DOMAIN_MESSAGES.taken);
      throw err;
    }
    return { ManagedLoginVersion: record.managedLoginVersion, ...(record.cloudFrontDomain !== null && { CloudFrontDomain: record.cloudFrontDomain }) };
  });
};
