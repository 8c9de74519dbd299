import { invalidParameter, poolNotFound } from '../../kernel/errors.js';

/**
 * A user pool's tags. They are kept in the pool's settings as `UserPoolTags`, so CreateUserPool,
 * UpdateUserPool, DescribeUserPool and the tag operations (TagResource, UntagResource,
 * ListTagsForResource) all see one set.
 *
 * AWS's limits (API_TagResource; DG:tagging): at most 50 tags per pool; keys 1–128 and values
 * 0–256 characters (checked by the model's TagKeysType/TagValueType before an operation runs);
 * the `aws:` prefix is reserved for AWS. AWS's texts for the two refusals below were not found
 * (searched the API reference, the guide and public issues); these say what is wrong.
 */
export type PoolTags = Record<string, string>;

export const MAX_TAGS = 50;

export function checkTags(tags: PoolTags): void {
  for (const key of Object.keys(tags)) {
    if (key.toLowerCase().startsWith('aws:')) throw invalidParameter(`Tag keys starting with 'aws:' are reserved for AWS use: ${key}`);
  }
  if (Object.keys(tags).length > MAX_TAGS) throw invalidParameter(`A user pool can have at most ${MAX_TAGS} tags.`);
}

/** The tags after TagResource: new keys added, existing keys given the new value. */
export function tagsAfterTagging(current: PoolTags | undefined, added: PoolTags): PoolTags {
  const next = { ...current, ...added };
  checkTags(next);
  return next;
}

/** The tags after UntagResource: keys the pool does not have are ignored. */
export function tagsAfterUntagging(current: PoolTags | undefined, keys: readonly string[]): PoolTags {
  const next = { ...current };
  for (const key of keys) delete next[key];
  return next;
}

const POOL_ARN = /^arn:aws:cognito-idp:([^:]+):([0-9]+):userpool\/(.+)$/u;

/**
 * The pool ID of a user pool ARN (`arn:aws:cognito-idp:<region>:<account>:userpool/<id>`).
 * An ARN of anything else is an invalid parameter; a user pool ARN of another Region or account
 * names no pool of this server, so it is not found, as an unknown pool ID is.
 */
export function poolIdFromArn(arn: string, region: string, accountId: string): string {
  const match = POOL_ARN.exec(arn);
  if (!match) throw invalidParameter(`Invalid user pool ARN: ${arn}`);
  const [, arnRegion, arnAccount, poolId] = match as unknown as [string, string, string, string];
  if (arnRegion !== region || arnAccount !== accountId) throw poolNotFound(poolId);
  return poolId;
}
