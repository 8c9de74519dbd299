import type { PoolSettings } from '../pools/user-pool.js';

/**
 * The columns of a user import CSV for the pool (GetCSVHeader): the pool's attributes in schema
 * order, standard ones first and then custom ones, without `sub` (Cognito assigns it), followed by
 * `cognito:mfa_enabled` and `cognito:username`. This is the order of AWS's published example
 * (aws-cli examples/cognito-idp/get-csv-header.rst, for a pool without custom attributes; a
 * custom attribute comes after `updated_at` in headers users took from real pools; see
 * cognito-facts-areas.md section 5).
 *
 * Developer-only attributes are listed with the `dev:` prefix under which administrative
 * operations write them (API_SchemaAttributeType: "Amazon Cognito creates your attribute as
 * dev:MyAttribute"): an import is an administrative write. Whether AWS lists them was not
 * established.
 */
export function csvHeader(settings: PoolSettings): string[] {
  const columns: string[] = [];
  for (const attribute of settings.SchemaAttributes) {
    const name = attribute.Name;
    if (name === undefined || name === 'sub') continue;
    columns.push(attribute.DeveloperOnlyAttribute === true && name.startsWith('custom:') ? `dev:${name}` : name);
  }
  return [...columns, 'cognito:mfa_enabled', 'cognito:username'];
}
