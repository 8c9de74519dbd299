import type { OperationName } from '../../model/generated/operations.js';
import type { Operation } from '../operation.js';
import { getCSVHeader } from './get-csv-header.js';
import { createUserImportJob } from './create-user-import-job.js';
import { describeUserImportJob } from './describe-user-import-job.js';
import { listUserImportJobs } from './list-user-import-jobs.js';
import { startUserImportJob } from './start-user-import-job.js';
import { stopUserImportJob } from './stop-user-import-job.js';

/** User import (CSV) and its jobs, merged into the registry by features/registry.ts. */
export const importOperations = {
  GetCSVHeader: getCSVHeader,
  CreateUserImportJob: createUserImportJob,
  StartUserImportJob: startUserImportJob,
  StopUserImportJob: stopUserImportJob,
  DescribeUserImportJob: describeUserImportJob,
  ListUserImportJobs: listUserImportJobs,
} satisfies { [N in OperationName]?: Operation<N> };
