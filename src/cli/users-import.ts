import { readFileSync } from 'node:fs';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { splitOwnFlags } from './flags.js';
import { ConfigError } from '../kernel/config.js';

const OWN_FLAGS = ['pool', 'endpoint', 'region', 'name', 'role-arn', 'poll-ms'] as const;
const DEFAULT_ENDPOINT = 'http://127.0.0.1:9229';
const DEFAULT_ROLE = 'arn:aws:iam::000000000000:role/userpoold-import';
const TERMINAL = new Set(['Succeeded', 'Failed', 'Stopped', 'Expired']);

interface ImportJob {
  JobId: string;
  Status: string;
  PreSignedUrl: string;
  ImportedUsers?: number;
  SkippedUsers?: number;
  FailedUsers?: number;
  CompletionMessage?: string;
}

/**
 * `userpoold users import --pool ID [--endpoint URL] file.csv`: the whole AWS procedure against a
 * running server, through its API as any client would (DG23 cognito-user-pools-using-import-tool):
 * CreateUserImportJob, PUT of the file to the pre-signed URL, StartUserImportJob, then
 * DescribeUserImportJob until the job ends, printing its counts as they move. Requests are
 * signed with SigV4 when AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set (developer
 * credentials), unsigned otherwise (a server in open mode). Exits 1 unless the job Succeeded.
 */
export async function usersCommand(args: readonly string[], env: NodeJS.ProcessEnv, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const [sub, ...rest] = args;
  if (sub !== 'import') throw new ConfigError('users: the only subcommand is "import" (userpoold users import --pool ID file.csv)');
  const { own, rest: positional } = splitOwnFlags('users import', rest, OWN_FLAGS);
  const poolId = own.get('pool');
  if (poolId === undefined) throw new ConfigError('users import: --pool ID is required');
  if (positional.length !== 1 || (positional[0] as string).startsWith('--')) throw new ConfigError('users import: give one CSV file (userpoold users import --pool ID file.csv)');
  const file = positional[0] as string;
  const csv = readFileSync(file);
  const api = apiClient(own.get('endpoint') ?? env.USERPOOLD_ENDPOINT ?? DEFAULT_ENDPOINT, own.get('region') ?? env.AWS_REGION ?? 'us-east-1', env);
  const pollMs = Number(own.get('poll-ms') ?? '500');

  const created = (await api('CreateUserImportJob', {
    UserPoolId: poolId,
    JobName: own.get('name') ?? `userpoold-cli-${new Date().toISOString().replace(/[:]/gu, '-')}`,
    CloudWatchLogsRoleArn: own.get('role-arn') ?? DEFAULT_ROLE,
  })) as { UserImportJob: ImportJob };
  const jobId = created.UserImportJob.JobId;
  out.write(`job ${jobId} created\n`);
  const put = await fetch(created.UserImportJob.PreSignedUrl, {
    method: 'PUT',
    headers: { 'x-amz-server-side-encryption': 'aws:kms', 'Content-Type': 'text/csv' },
    body: csv,
  });
  if (!put.ok) throw new Error(`upload refused (HTTP ${put.status}): ${(await put.text()).replace(/\s+/gu, ' ')}`);
  out.write(`uploaded ${csv.length} bytes\n`);
  await api('StartUserImportJob', { UserPoolId: poolId, JobId: jobId });

  let last = '';
  for (;;) {
    const { UserImportJob: job } = (await api('DescribeUserImportJob', { UserPoolId: poolId, JobId: jobId })) as { UserImportJob: ImportJob };
    const line = `${job.Status}: ${job.ImportedUsers ?? 0} imported, ${job.SkippedUsers ?? 0} skipped, ${job.FailedUsers ?? 0} failed`;
    if (line !== last) out.write(line + '\n');
    last = line;
    if (TERMINAL.has(job.Status)) {
      if (job.CompletionMessage) out.write(`${job.CompletionMessage}\n`);
      if ((job.SkippedUsers ?? 0) + (job.FailedUsers ?? 0) > 0) out.write(`per-row reasons: userpoold import-log ${jobId}\n`);
      if (job.Status !== 'Succeeded') process.exitCode = 1;
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

type Api = (target: string, body: unknown) => Promise<unknown>;

function apiClient(endpoint: string, region: string, env: NodeJS.ProcessEnv): Api {
  const url = new URL(endpoint);
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  const signer =
    accessKeyId && secretAccessKey
      ? new SignatureV4({ service: 'cognito-idp', region, sha256: Hash.bind(null, 'sha256'), credentials: { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN } })
      : undefined;
  return async (target, input) => {
    const body = JSON.stringify(input);
    let headers: Record<string, string> = {
      host: url.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${target}`,
    };
    if (signer) {
      const signed = await signer.sign({ method: 'POST', protocol: url.protocol, hostname: url.hostname, port: url.port === '' ? undefined : Number(url.port), path: '/', headers, body });
      headers = signed.headers as Record<string, string>;
    }
    const { host: _host, ...sent } = headers;
    const res = await fetch(new URL('/', url), { method: 'POST', headers: sent, body });
    const text = await res.text();
    const parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    if (!res.ok) throw new Error(`${target}: ${String(parsed.__type ?? res.status)}: ${String(parsed.message ?? text)}`);
    return parsed;
  };
}
