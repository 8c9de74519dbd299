import { SHAPES } from '../../model/generated/shapes.js';

const namesByShape = new Map<string, ReadonlySet<string>>();

function memberNames(shapeName: string): ReadonlySet<string> {
  let names = namesByShape.get(shapeName);
  if (names === undefined) {
    const fact = SHAPES[shapeName];
    if (fact?.type !== 'structure') throw new Error(`${shapeName} is not a structure`);
    names = new Set(Object.keys(fact.members));
    namesByShape.set(shapeName, names);
  }
  return names;
}

/**
 * The top-level members of a request body that the operation's input shape defines, and no
 * other: what every step before the call reads (the policy's resource, quotas, the audit row).
 * AWS ignores members its model does not define, so such a member must not decide which pool a
 * policy is evaluated on or an audit row names (a key allowed on one pool adding
 * "UserPoolId" to ListUserPools). Values are neither copied nor checked: validation comes
 * later, and knownMembersOnly then drops unknown members at every depth for the operation.
 */
export function modelledMembers(shapeName: string | null, body: Record<string, unknown>): Record<string, unknown> {
  if (shapeName === null) return {};
  const names = memberNames(shapeName);
  // The common case, a body the SDK serialized, holds no other member: kept as it is.
  let foreign = false;
  for (const key in body) {
    if (!names.has(key)) {
      foreign = true;
      break;
    }
  }
  if (!foreign) return body;
  const kept: Record<string, unknown> = {};
  for (const key in body) if (names.has(key)) kept[key] = body[key];
  return kept;
}
