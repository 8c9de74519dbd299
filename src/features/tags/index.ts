import type { OperationName } from '../../model/generated/operations.js';
import type { Operation } from '../operation.js';
import { listTagsForResource } from './list-tags-for-resource.js';
import { tagResource } from './tag-resource.js';
import { untagResource } from './untag-resource.js';

/**
 * Tags on user pools (the only taggable resource of the API), merged into the registry by
 * features/registry.ts. The tags live in the pool's settings (domain/pools/pool-tags.ts).
 */
export const tagsOperations = {
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
} satisfies { [N in OperationName]?: Operation<N> };
