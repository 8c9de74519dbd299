import type { CredentialRecord } from '../../ports/credentials.js';
import type { Store } from '../../ports/store.js';
import type { SecretBox } from '../../kernel/secret-box.js';
import { parsePolicy } from './policy.js';
import type { Principal } from './principals.js';

/** Where the principals come from: the credentials file, then the credentials the CLI stored. */
export interface CredentialSource {
  find(accessKeyId: string): Promise<Principal | undefined>;
  /** Whether any principal exists at all; once true it stays true for this process. */
  any(): Promise<boolean>;
}

export function createCredentialSource(filePrincipals: readonly Principal[], store: Store, secrets: SecretBox): CredentialSource {
  const fromFile = new Map(filePrincipals.map((p) => [p.accessKeyId, p]));
  // A key created with `userpoold credentials create` while the server runs takes effect at once;
  // none is ever removed, so a positive answer can be remembered.
  let seen = fromFile.size > 0;
  return {
    async find(accessKeyId) {
      const inFile = fromFile.get(accessKeyId);
      if (inFile) return inFile;
      const row = await store.getCredential(accessKeyId);
      return row && principalOf(row, secrets);
    },
    async any() {
      if (!seen) seen = await store.hasCredentials();
      return seen;
    },
  };
}

function principalOf(row: CredentialRecord, secrets: SecretBox): Principal {
  return {
    name: row.name,
    arn: row.arn,
    accessKeyId: row.accessKeyId,
    secretAccessKey: secrets.open(row.secretSealed),
    policy: parsePolicy(JSON.parse(row.policy), `stored credential ${row.accessKeyId}`),
  };
}
