import type { Operation } from '../operation.js';
import { domainDescription } from '../../domain/oauth/domain.js';

/**
 * The domain's description. An unknown domain is not an error: AWS answers an empty
 * DomainDescription, which is how tools tell a free name from a taken one (FIELD:
 * terraform-provider-aws's aws_cognito_user_pool_domain reads an empty description as "gone").
 */
export const describeUserPoolDomain: Operation<'DescribeUserPoolDomain', 'config' | 'store'> = (deps) => async (input) => {
  const record = await deps.store.getDomain(input.Domain);
  return { DomainDescription: record ? domainDescription(record, deps.config.accountId) : {} };
};
