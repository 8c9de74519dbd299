import type { Operation } from '../operation.js';
import { decodePageToken, pageOf } from '../../domain/page-token.js';
import { settingsOf } from '../../domain/pools/user-pool.js';
import type { UserPoolDescriptionType } from '../../model/generated/types.js';
import type { PoolRecord } from '../../domain/pools/pool.js';

const SCOPE = 'pools';

export const listUserPools: Operation<'ListUserPools', 'store'> = (deps) => async (input) => {
  const after = input.NextToken === undefined ? undefined : decodePageToken(SCOPE, input.NextToken);
  const rows = await deps.store.listPools({ limit: input.MaxResults + 1, after });
  const page = pageOf(rows, input.MaxResults, (p) => p.id, SCOPE);
  return { UserPools: page.items.map(poolDescription), ...(page.nextToken && { NextToken: page.nextToken }) };
};

/** The model's deprecated Status is no longer reported by AWS, so it is left out. */
function poolDescription(pool: PoolRecord): UserPoolDescriptionType {
  return {
    Id: pool.id,
    Name: pool.name,
    LambdaConfig: settingsOf(pool).LambdaConfig ?? {},
    LastModifiedDate: pool.updatedAt / 1000,
    CreationDate: pool.createdAt / 1000,
  };
}
