import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';

/** The pool's log delivery configuration, an empty list when none was set. */
export const getLogDeliveryConfiguration: Operation<'GetLogDeliveryConfiguration', 'store'> = (deps) => async (input) => {
  const record = await deps.store.transaction(async (tx) => {
    await loadPool(tx, input.UserPoolId);
    return tx.getLogDelivery(input.UserPoolId);
  });
  return { LogDeliveryConfiguration: { UserPoolId: input.UserPoolId, LogConfigurations: record?.configurations ?? [] } };
};
