import type { Operation } from '../operation.js';
import { limitView, requestedCategory } from './limit-view.js';

/** A category's provisioned and free request rates (LimitType). */
export const getProvisionedLimit: Operation<'GetProvisionedLimit', 'config' | 'store'> = (deps) => async (input) => {
  const category = requestedCategory(input.LimitDefinition);
  const record = await deps.store.getProvisionedLimit(category);
  return { Limit: limitView(deps.config, category, record?.value) };
};
