import type { Guards } from './index.js';
import type { Admit } from './admission.js';
import type { AuditLog } from '../../services/audit/audit-log.js';

/** The checks around every request, each built elsewhere (app.ts) and optional. */
export interface GuardParts {
  /** Developer credentials: SigV4 and policies, for the operations AWS signs. */
  authenticate?: Guards['authenticate'] | undefined;
  /** Per-address abuse limits and per-category request-rate quotas. */
  admit?: Admit | undefined;
  /** Where every request's outcome is recorded. */
  audit?: AuditLog | undefined;
}

/**
 * Composes the optional steps of the API pipeline (index.ts createApiPipeline):
 * authenticate (its `sigv4` step), then admit (`quotas`), then after the call record (`audit`).
 */
export function createGuards(parts: GuardParts): Guards {
  const guards: Guards = {};
  if (parts.authenticate) guards.authenticate = parts.authenticate;
  if (parts.admit) guards.admit = parts.admit;
  const audit = parts.audit;
  if (audit) guards.record = (outcome) => audit.record(outcome);
  return guards;
}
