import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { DOMAIN_MESSAGES, managedLoginVersionProblem } from '../../domain/oauth/domain.js';
import { invalidParameter, resourceNotFound } from '../../kernel/errors.js';

/**
 * Changes a domain's ManagedLoginVersion and, for a custom domain, its certificate
 * (API:UpdateUserPoolDomain). The domain must be this pool's.
 */
export const updateUserPoolDomain: Operation<'UpdateUserPoolDomain', 'clock' | 'store'> = (deps) => async (input) => {
  const problem = managedLoginVersionProblem(input.ManagedLoginVersion);
  if (problem !== undefined) throw invalidParameter(problem);
  return deps.store.transaction(async (tx) => {
    const { pool } = await loadPool(tx, input.UserPoolId);
    const record = await tx.getDomain(input.Domain);
    if (!record || record.poolId !== pool.id) throw resourceNotFound(DOMAIN_MESSAGES.noSuchDomain);
    if (input.CustomDomainConfig && record.kind !== 'custom') throw invalidParameter(DOMAIN_MESSAGES.prefixHasNoCertificate);
    const updated = {
      ...record,
      certificateArn: input.CustomDomainConfig?.CertificateArn ?? record.certificateArn,
      managedLoginVersion: input.ManagedLoginVersion ?? record.managedLoginVersion,
      updatedAt: deps.clock.nowMs(),
    };
    await tx.updateDomain(updated);
    return { ManagedLoginVersion: updated.managedLoginVersion, ...(updated.cloudFrontDomain !== null && { CloudFrontDomain: updated.cloudFrontDomain }) };
  });
};
