import { readFileSync } from 'node:fs';
import type { SecretBox } from '../../kernel/secret-box.js';

const PURPOSE = 'userpoold/compromised-password';

/**
 * The local list of compromised passwords (--compromised-passwords FILE, one password a line)
 * that stands in for AWS's compromised-credentials detection. The file is read once at start
 * and kept only as keyed hashes (the server key's digest), so the passwords themselves are not
 * held in memory past loading, and a heap dump does not give the list back in clear.
 */
export interface CompromisedPasswords {
  readonly size: number;
  has(password: string): boolean;
}

export function loadCompromisedPasswords(file: string, secrets: SecretBox): CompromisedPasswords {
  const digests = new Set<string>();
  let text: string | undefined = readFileSync(file, 'utf8');
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    // A trailing CR (a file written on Windows) is not part of the password.
    const line = text.slice(start, end).replace(/\r$/, '');
    if (line !== '') digests.add(secrets.digest(PURPOSE, line));
    start = end + 1;
  }
  text = undefined;
  return { size: digests.size, has: (password) => digests.has(secrets.digest(PURPOSE, password)) };
}
