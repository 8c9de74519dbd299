import { BlockList, isIP } from 'node:net';
import { invalidParameter } from '../../kernel/errors.js';
import type {
  AccountTakeoverRiskConfigurationType,
  CompromisedCredentialsRiskConfigurationType,
  EventFilterType,
  RiskExceptionConfigurationType,
} from '../../model/generated/types.js';

/**
 * A risk configuration (SetRiskConfiguration) of a pool (`clientId` null) or of one app client.
 * "When the client ID isn't null, the user pool configuration is overridden and the risk
 * configuration for the client is used instead" (API_SetRiskConfiguration, ClientId): a client's
 * configuration replaces the pool's as a whole, it is not merged with it.
 */
export interface RiskConfigurationRecord {
  poolId: string;
  clientId: string | null;
  compromisedCredentials?: CompromisedCredentialsRiskConfigurationType | undefined;
  accountTakeover?: AccountTakeoverRiskConfigurationType | undefined;
  riskExceptions?: RiskExceptionConfigurationType | undefined;
  updatedAt: number;
}

export const RISK_CONFIGURATION_MESSAGES = {
  cidr: (value: string) => `${value} is not a valid IP address range in CIDR notation.`,
} as const;

/** Checks the CIDR lists (the model checks only their sizes); AWS's text for a bad range is not published. */
export function checkRiskExceptions(exceptions: RiskExceptionConfigurationType | undefined): void {
  for (const value of [...(exceptions?.BlockedIPRangeList ?? []), ...(exceptions?.SkippedIPRangeList ?? [])]) {
    if (parseCidr(value) === undefined) throw invalidParameter(RISK_CONFIGURATION_MESSAGES.cidr(value));
  }
}

function parseCidr(value: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const slash = value.indexOf('/');
  const address = slash < 0 ? value : value.slice(0, slash);
  const version = isIP(address);
  if (version === 0) return undefined;
  const max = version === 4 ? 32 : 128;
  const prefixText = slash < 0 ? String(max) : value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > max) return undefined;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** A list of CIDR ranges as a node:net BlockList (ranges already checked by checkRiskExceptions). */
export function rangeList(ranges: readonly string[] | undefined): BlockList | undefined {
  if (!ranges || ranges.length === 0) return undefined;
  const list = new BlockList();
  for (const range of ranges) {
    const cidr = parseCidr(range);
    if (cidr) list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  }
  return list;
}

/** Whether an address (v4, v6 or v4-mapped v6) lies in the list. */
export function inRanges(list: BlockList | undefined, ip: string | undefined): boolean {
  if (!list || ip === undefined) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  const address = mapped ?? ip;
  const version = isIP(address);
  if (version === 0) return false;
  return list.check(address, version === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Whether the compromised-credentials check applies to an event: EventFilter "Defaults to all
 * events" (API_CompromisedCredentialsRiskConfigurationType), and BLOCK or NO_ACTION decides
 * only what happens once a password is found.
 */
export function checksCompromised(config: CompromisedCredentialsRiskConfigurationType | undefined, event: EventFilterType): boolean {
  if (!config) return false;
  const filter = config.EventFilter;
  return filter === undefined || filter === null || filter.length === 0 || filter.includes(event);
}
