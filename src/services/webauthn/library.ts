/**
 * @simplewebauthn/server, loaded on the first passkey ceremony rather than by every server at
 * start: with its CBOR and ASN.1 dependencies it is about 26 MB of memory (measured with
 * process.memoryUsage().rss around the import), and most servers never see a passkey.
 */
export type WebAuthnLibrary = typeof import('@simplewebauthn/server');

let loading: Promise<WebAuthnLibrary> | undefined;

export function webAuthnLibrary(): Promise<WebAuthnLibrary> {
  return (loading ??= import('@simplewebauthn/server'));
}
