import { assertDatabaseExists, splitOwnFlags } from './flags.js';
import { ConfigError, loadConfig } from '../kernel/config.js';
import { openStore } from '../storage/dialects.js';

const PAGE = 1000;

/**
 * `userpoold import-log JOB_ID [server options]`: a user import job's refused rows, one line
 * each in the form AWS writes to CloudWatch Logs (DG23 cognito-user-pools-using-import-tool-cloudwatch):
 * `[SKIPPED] Line Number N - reason` / `[FAILED] Line Number N - reason`, after a line with the
 * job's status and counts. Rows that were imported are counted, not listed (the import keeps
 * no line per imported row).
 */
export async function importLogCommand(args: readonly string[], env: NodeJS.ProcessEnv, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const { rest } = splitOwnFlags('import-log', args, []);
  const jobId = rest[0];
  if (jobId === undefined || jobId.startsWith('--')) throw new ConfigError('import-log: give the job id (userpoold import-log import-... [server options])');
  const config = loadConfig(rest.slice(1), env);
  assertDatabaseExists('import-log', config);
  const store = await openStore(config);
  try {
    const job = await store.getImportJob(jobId);
    if (!job) throw new ConfigError(`import-log: no import job ${jobId}`);
    out.write(`${job.jobId} (${job.jobName}, pool ${job.poolId}): ${job.status}; ${job.imported} imported, ${job.skipped} skipped, ${job.failed} failed\n`);
    if (job.completionMessage !== null) out.write(`${job.completionMessage}\n`);
    for (let after = 0; ; ) {
      const entries = await store.listImportLog(jobId, after, PAGE);
      for (const e of entries) out.write(`[${e.outcome}] Line Number ${e.line} - ${e.message}\n`);
      if (entries.length < PAGE) break;
      after = (entries.at(-1) as { line: number }).line;
    }
  } finally {
    await store.close();
  }
}
