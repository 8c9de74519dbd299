import type { StoreTx } from '../../ports/store.js';

/**
 * The first name of `providers` that is neither COGNITO nor a provider of the pool, or
 * undefined. AWS refuses such a client with InvalidParameterException "The provider <name>
 * does not exist for User Pool <poolId>" (seen in AWS's answers; not in the reference).
 */
export async function unknownSupportedProvider(tx: StoreTx, poolId: string, providers: readonly string[]): Promise<string | undefined> {
  for (const name of providers) {
    if (name === 'COGNITO') continue;
    if (!(await tx.getIdentityProvider(poolId, name))) return name;
  }
  return undefined;
}

export const unknownProviderMessage = (name: string, poolId: string) => `The provider ${name} does not exist for User Pool ${poolId}`;
