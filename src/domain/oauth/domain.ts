import type { CustomDomainConfigType, DomainDescriptionType } from '../../model/generated/types.js';

/**
 * A user pool domain: where a pool's OAuth 2.0 endpoints and managed login pages answer. A
 * prefix domain is `<prefix>.auth.<region>.amazoncognito.com`; a custom domain is the caller's
 * own name with an ACM certificate (cognito-facts-areas.md §4.1). Domain names are unique across
 * every pool (AWS: across every account of a region), and a pool has at most one of each kind.
 */
export interface DomainRecord {
  /** The prefix (prefix domains) or the full host name (custom domains), as given. */
  domain: string;
  poolId: string;
  kind: 'prefix' | 'custom';
  /** Custom domains only. */
  certificateArn: string | null;
  /** The alias target AWS answers for a custom domain (made up here: nothing is deployed). */
  cloudFrontDomain: string | null;
  /** 1 = classic hosted UI, 2 = managed login (§4.1); both are served by the same pages here. */
  managedLoginVersion: number;
  createdAt: number;
  updatedAt: number;
}

/** The model's prefix pattern, quoted by AWS in its refusal (FIELD gh:mineiros-io/terraform-aws-cognito-user-pool#69). */
const PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** A host name of at least three labels: a custom domain's parent needs an A record, and no TLD may be used (§4.1, DG23 cognito-user-pools-add-custom-domain). */
const CUSTOM = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){2,}[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Words a prefix may not contain (§4.1, DOC23). */
const RESERVED_WORDS = ['aws', 'amazon', 'cognito'] as const;

export const DOMAIN_MESSAGES = {
  // FIELD: gh:mineiros-io/terraform-aws-cognito-user-pool#69 (InvalidParameterException).
  invalidPrefix:
    'The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$',
  // Unverified text: AWS documents the rule (DOC23), not its message.
  reservedWord: (word: string) => `Domain names cannot contain the reserved word ${word}.`,
  // Unverified text: the rule is DOC23's (no top-level domains, a parent with an A record).
  invalidCustom: 'The custom domain must be a fully qualified domain name below a registered parent domain, such as auth.example.com.',
  // FIELD: many CloudFormation/Terraform captures, e.g. gh:aws-samples/websocket-chat-application#56.
  taken: 'Domain already associated with another user pool.',
  // FIELD (approximate): gh:aws-samples/websocket-chat-application#29, "User Pool already has domain configured".
  poolHasOne: 'User pool already has a domain configured.',
  // Unverified text.
  noSuchDomain: 'No such domain or user pool exists.',
  // Unverified text: ManagedLoginVersion takes 1 or 2 (§4.1).
  managedLoginVersion: 'ManagedLoginVersion must be 1 (hosted UI) or 2 (managed login).',
  // Unverified text: UpdateUserPoolDomain changes the certificate of custom domains only (API:UpdateUserPoolDomain).
  prefixHasNoCertificate: 'CustomDomainConfig can only be set for a custom domain.',
} as const;

/** The refusal of a domain name, or undefined when it may be created. */
export function domainNameProblem(domain: string, custom: CustomDomainConfigType | undefined): string | undefined {
  if (custom) return CUSTOM.test(domain) ? undefined : DOMAIN_MESSAGES.invalidCustom;
  if (!PREFIX.test(domain)) return DOMAIN_MESSAGES.invalidPrefix;
  const word = RESERVED_WORDS.find((w) => domain.includes(w));
  return word && DOMAIN_MESSAGES.reservedWord(word);
}

export function managedLoginVersionProblem(version: number | undefined): string | undefined {
  return version === undefined || version === 1 || version === 2 ? undefined : DOMAIN_MESSAGES.managedLoginVersion;
}

/** The host name requests reach: the custom name itself, or the prefix under amazoncognito.com. */
export function domainHost(record: Pick<DomainRecord, 'domain' | 'kind'>, region: string): string {
  return record.kind === 'custom' ? record.domain : `${record.domain}.auth.${region}.amazoncognito.com`;
}

/**
 * The host names a request's Host header may carry to reach a domain, longest match first:
 * the custom name, or `<prefix>.auth.<region>.amazoncognito.com` (port and case ignored).
 */
export function domainCandidatesOfHost(hostHeader: string, region: string): { prefix?: string; custom: string } {
  const host = hostHeader.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  const suffix = `.auth.${region}.amazoncognito.com`;
  return host.endsWith(suffix) ? { prefix: host.slice(0, -suffix.length), custom: host } : { custom: host };
}

/** The DomainDescriptionType of DescribeUserPoolDomain. */
export function domainDescription(record: DomainRecord, accountId: string): DomainDescriptionType {
  return {
    UserPoolId: record.poolId,
    AWSAccountId: accountId,
    Domain: record.domain,
    // Stands for the hosting AWS reports; nothing is deployed (the pages are this server's).
    S3Bucket: 'aws-cognito-prod-userpoold-assets',
    CloudFrontDistribution: record.cloudFrontDomain ?? `${record.domain}.auth.local`,
    Version: String(record.updatedAt),
    Status: 'ACTIVE',
    ...(record.certificateArn !== null && { CustomDomainConfig: { CertificateArn: record.certificateArn } }),
    ManagedLoginVersion: record.managedLoginVersion,
  };
}
