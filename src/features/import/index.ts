import type { OperationName } from '../../model/generated/operations.js';
import type { Operation } from '../operation.js';
import { getCSVHeader } from './get-csv-header.js';

/** User import (CSV), merged into the registry by features/registry.ts; the import jobs come later. */
export const importOperations = {
  GetCSVHeader: getCSVHeader,
} satisfies { [N in OperationName]?: Operation<N> };
