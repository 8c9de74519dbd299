import { helpText } from '../kernel/config.js';

/**
 * The usage text of every command: `userpoold --help` lists the commands, `userpoold <command>
 * --help` shows one with its flags and examples. The server options (flag, environment
 * variable, config key) come from the option table in kernel/config.ts, so an option added
 * there appears here without an edit.
 */
export interface CommandHelp {
  /** One line for the command list of `userpoold --help`. */
  summary: string;
  usage: string[];
  /** The command's own flags, `[flag, what it does]`. */
  flags: [string, string][];
  examples: string[];
}

const STORE_OPTIONS = 'The server options (--data-dir or --database-url, --server-key, --config, USERPOOLD_*) pick the store, as for serve.';

export const COMMANDS: Record<string, CommandHelp> = {
  serve: {
    summary: 'start the server (the default command)',
    usage: ['userpoold [serve] [options]'],
    flags: [],
    examples: [
      'userpoold serve --port 9229 --data-dir ./.userpoold',
      'userpoold serve --seed seed.yaml --dev-messages',
      'USERPOOLD_DATABASE_URL=postgres://app:secret@db:5432/users userpoold serve --server-key-file server.key --host 0.0.0.0 --credentials-file creds.yaml',
      'userpoold --port 0 --log-level debug        # a free port; the log line "userpoold listening" names it',
    ],
  },
  messages: {
    summary: 'print queued email and SMS messages (codes included), oldest first',
    usage: ['userpoold messages [--pool ID] [--user NAME] [--limit N] [--follow] [options]'],
    flags: [
      ['--pool ID', 'only messages of this user pool'],
      ['--user NAME', 'only messages to this username'],
      ['--limit N', 'at most N messages (default 50)'],
      ['--follow', 'keep printing new messages as they are queued, until interrupted'],
    ],
    examples: ['userpoold messages --data-dir ./.userpoold', 'userpoold messages --pool us-east-1_AbC123 --user alice --limit 1', 'userpoold messages --follow'],
  },
  credentials: {
    summary: 'make, list and seal the developer access keys that sign admin calls',
    usage: [
      'userpoold credentials create --name NAME [--policy FILE] [--arn ARN] [options]',
      'userpoold credentials list [options]',
      'userpoold credentials seal [options] < secret.txt',
    ],
    flags: [
      ['create', 'make a key pair, print it once, store the secret sealed with the server key'],
      ['  --name NAME', 'the key owner (letters, digits and +=,.@_-, at most 64)'],
      ['  --policy FILE', 'IAM-style policy in JSON or YAML (default: every operation on every pool)'],
      ['  --arn ARN', 'the principal ARN (default arn:aws:iam::ACCOUNT:user/NAME)'],
      ['list', 'the stored access key ids and ARNs (never secrets)'],
      ['seal', 'read a secret on stdin, print it sealed (secretSealed in a --credentials-file)'],
    ],
    examples: [
      'userpoold credentials create --name ci --data-dir ./.userpoold',
      'userpoold credentials create --name reader --policy read-only.yaml',
      'userpoold credentials list',
      'printf %s "$SECRET" | userpoold credentials seal --server-key-file server.key',
    ],
  },
  seed: {
    summary: 'export a pool as a seed file, or check a seed file (docs/seed.md)',
    usage: ['userpoold seed export --pool ID [--with-secrets] [options] > seed.yaml', 'userpoold seed check FILE [options]'],
    flags: [
      ['export', 'the seed file of an existing pool, for --seed (no password hashes)'],
      ['  --pool ID', 'the pool to export (required)'],
      ['  --with-secrets', 'include app client secrets (opened with the server key)'],
      ['check FILE', 'validate a seed file as a start with --seed would, without opening the database'],
    ],
    examples: [
      'userpoold seed export --pool us-east-1_AbC123 --data-dir ./.userpoold > seed.yaml',
      'userpoold seed export --pool us-east-1_AbC123 --with-secrets --server-key-file server.key > seed.yaml',
      'userpoold seed check seed.yaml',
    ],
  },
  audit: {
    summary: 'print the audit log (who called what, how it ended), oldest first',
    usage: ['userpoold audit [--pool ID] [--limit N] [options]'],
    flags: [
      ['--pool ID', 'only calls on this user pool'],
      ['--limit N', 'the newest N entries (default 50)'],
    ],
    examples: ['userpoold audit --data-dir ./.userpoold', 'userpoold audit --pool us-east-1_AbC123 --limit 200', 'userpoold audit --database-url postgres://app:secret@db:5432/users'],
  },
  users: {
    summary: 'import users from a CSV file through a running server (CreateUserImportJob, upload, Start, progress)',
    usage: ['userpoold users import --pool ID [--endpoint URL] [--name NAME] [--role-arn ARN] file.csv'],
    flags: [
      ['--pool ID', 'the user pool to import into (its header: GetCSVHeader)'],
      ['--endpoint URL', 'the server (default http://127.0.0.1:9229, or USERPOOLD_ENDPOINT); requests are signed when AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set'],
      ['--region REGION', 'the SigV4 region (default AWS_REGION or us-east-1)'],
      ['--name NAME', 'the job name (default userpoold-cli-<time>)'],
      ['--role-arn ARN', 'the CloudWatchLogsRoleArn the API requires (a placeholder by default; userpoold keeps the row log itself)'],
    ],
    examples: ['userpoold users import --pool us-east-1_AbC123 users.csv', 'userpoold users import --pool us-east-1_AbC123 --endpoint http://10.0.0.5:9229 users.csv'],
  },
  'import-log': {
    summary: "print a user import job's skipped and failed rows with their line and reason",
    usage: ['userpoold import-log JOB_ID [options]'],
    flags: [],
    examples: ['userpoold import-log import-mf3k2a1b0AbCdEfGhIjKlMn --data-dir ./.userpoold', 'userpoold import-log import-mf3k2a1b0AbCdEfGhIjKlMn --database-url postgres://app:secret@db:5432/users'],
  },
  export: {
    summary: 'write every table of the database as JSON lines (sealed values stay sealed)',
    usage: ['userpoold export [options] > dump.jsonl'],
    flags: [],
    examples: ['userpoold export --data-dir ./.userpoold > dump.jsonl', 'userpoold export --database-url postgres://app:secret@db:5432/users --server-key-file server.key > dump.jsonl'],
  },
  import: {
    summary: "load a dump into an empty database (needs the exporting server's key)",
    usage: ['userpoold import [--force] [options] < dump.jsonl'],
    flags: [['--force', 'replace the contents of a database that is not empty']],
    examples: [
      'userpoold import --data-dir ./copy --server-key-file server.key < dump.jsonl',
      'cp ./.userpoold/server.key ./copy/ && userpoold import --data-dir ./copy < dump.jsonl',
      'userpoold import --force --database-url postgres://app:secret@db:5432/users --server-key-file server.key < dump.jsonl',
    ],
  },
};

/** Where descriptions start, as in the option list of kernel/config.ts. */
const COLUMN = 36;

/** The option section of kernel/config.ts's help: every server option with its variable and key. */
function optionsText(): string {
  const text = helpText();
  const at = text.indexOf('\nOptions');
  return at < 0 ? text : text.slice(at + 1);
}

/** `userpoold --help`. */
export function mainHelp(): string {
  return [
    'userpoold: a server for the Amazon Cognito user-pool API',
    '',
    'Usage:',
    '  userpoold [command] [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, help]) => `  ${name.padEnd(COLUMN)} ${help.summary}`),
    '',
    `  ${'userpoold <command> --help'.padEnd(COLUMN)} usage and examples of one command`,
    `  ${'userpoold --version'.padEnd(COLUMN)} the version`,
    '',
    optionsText(),
  ].join('\n');
}

export function isCommand(name: string): boolean {
  return Object.hasOwn(COMMANDS, name);
}

/** `userpoold <command> --help`. */
export function commandHelp(name: string): string {
  const help = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (help === undefined) throw new Error(`no help for ${name}`);
  const lines = [`userpoold ${name}: ${help.summary}`, '', 'Usage:', ...help.usage.map((u) => `  ${u}`)];
  const heading = help.flags.some(([flag]) => !flag.startsWith('-')) ? 'Subcommands and their flags:' : 'Flags:';
  if (help.flags.length > 0) lines.push('', heading, ...help.flags.map(([flag, what]) => `  ${flag.padEnd(COLUMN)} ${what}`));
  lines.push('', 'Examples:', ...help.examples.map((e) => `  ${e}`), '');
  // serve takes every option; the others use them only to find the store.
  lines.push(name === 'serve' ? optionsText() : `${STORE_OPTIONS}\nSee userpoold serve --help for every option.`);
  return lines.join('\n');
}
