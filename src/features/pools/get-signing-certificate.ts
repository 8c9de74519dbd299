import type { Operation } from '../operation.js';
import { poolSigningCertificate, type SigningCertificateDeps } from '../../services/tokens/signing-certificate.js';
import { poolNotFound } from '../../kernel/errors.js';

/** The pool's signing certificate: base64 DER X.509 of its token signing key (services/tokens/signing-certificate.ts). */
export const getSigningCertificate: Operation<'GetSigningCertificate', SigningCertificateDeps> = (deps) => async (input) => {
  const pool = await deps.store.getPool(input.UserPoolId);
  if (!pool) throw poolNotFound(input.UserPoolId);
  return { Certificate: await poolSigningCertificate(deps, pool.id) };
};
