import type { Guards } from '../api/dispatch.js';
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

/** Composes the guards dispatch runs: authenticate, then admit, then (after the call) record. */
export function createGuards(parts: GuardParts): Guards {
  const guards: Guards = {};
  if (parts.authenticate) guards.authenticate = parts.authenticate;
  if (parts.admit) guards.admit = parts.admit;
  const audit = parts.audit;
  if (audit) guards.record = (outcome) => audit.record(outcome);
  return guards;
}
