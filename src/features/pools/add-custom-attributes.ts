import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { mergeSchema } from '../../domain/pools/user-pool.js';

/** Every name given here is a custom attribute, even one spelled like a standard one. */
export const addCustomAttributes: Operation<'AddCustomAttributes', 'clock' | 'store'> = (deps) => async (input) => {
  const added = input.CustomAttributes.map((a) => ({ ...a, Name: a.Name?.startsWith('custom:') ? a.Name : `custom:${a.Name ?? ''}` }));
  await deps.store.transaction(async (tx) => {
    const { pool, settings } = await loadPool(tx, input.UserPoolId);
    await tx.updatePool({
      ...pool,
      settings: { ...settings, SchemaAttributes: mergeSchema(settings.SchemaAttributes, added) },
      updatedAt: deps.clock.nowMs(),
    });
  });
  return {};
};
