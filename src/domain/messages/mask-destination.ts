/**
 * How Cognito shows where a code went without revealing the address: an email keeps the first
 * character of its local part and of its domain (`t***@e***`), a phone number keeps its `+`
 * and last four digits with one `*` for every digit hidden (`+*******1234`).
 */
export function maskDestination(medium: 'EMAIL' | 'SMS', value: string): string {
  return medium === 'EMAIL' ? maskEmail(value) : maskPhone(value);
}

function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 0) return `${firstChar(value)}***`;
  return `${firstChar(value.slice(0, at))}***@${firstChar(value.slice(at + 1))}***`;
}

function maskPhone(value: string): string {
  const chars = [...value];
  const keep = Math.min(4, chars.length);
  const hidden = chars.slice(0, chars.length - keep).map((c, i) => (i === 0 && c === '+' ? '+' : '*'));
  return hidden.join('') + chars.slice(chars.length - keep).join('');
}

/** The first user-perceived character, so an address starting with an emoji is not split. */
function firstChar(value: string): string {
  return [...value][0] ?? '';
}

/**
 * A masked destination for a name that reaches nobody (PreventUserExistenceErrors), in the very
 * format of a real one, so the answer does not tell an unknown name from a known user. A name
 * that is itself an email or phone number is masked as it stands (AWS: the simulated destination
 * "is determined by the input user name format", cognito-user-pool-managing-errors). Otherwise
 * the hidden parts come from `seed`, a keyed hash of the pool and the name: the same name always
 * gets the same answer, and nobody without the server key can tell it from a real address.
 */
export function inventedDestination(medium: 'EMAIL' | 'SMS', name: string, seed: Uint8Array): string {
  if (medium === 'EMAIL') {
    if (name.includes('@')) return maskEmail(name);
    // Addresses mostly start like the username and mostly live at a few large providers.
    const local = firstChar(name).toLowerCase() || pick(LOCAL_STARTS, seed[0]);
    return `${local}***@${pick(DOMAIN_STARTS, seed[1])}***`;
  }
  if (/^\+\d{5,}$/u.test(name)) return maskPhone(name);
  const digits = pick(PHONE_LENGTHS, seed[2]);
  let number = '+';
  for (let i = 0; i < digits; i++) number += String((seed[3 + i] ?? 0) % 10);
  return maskPhone(number);
}

const LOCAL_STARTS = 'abcdefghijklmnopqrstuvwxyz';
/** Weighted like real mailboxes: gmail, yahoo, hotmail/outlook, icloud, aol, live, company domains. */
const DOMAIN_STARTS = 'ggggggggyyyhhhoooiialmpcsbtekdnrw';
/** Digits in an E.164 number, country code included; 11 (e.g. +1 and ten digits) most often. */
const PHONE_LENGTHS = [11, 11, 11, 11, 12, 12, 10, 13];

function pick(choices: string, byte: number | undefined): string;
function pick(choices: readonly number[], byte: number | undefined): number;
function pick(choices: string | readonly number[], byte: number | undefined): string | number {
  return choices[(byte ?? 0) % choices.length] ?? choices[0] ?? '';
}
