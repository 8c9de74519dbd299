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
