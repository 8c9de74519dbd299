import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

/**
 * A small OIDC provider that misbehaves on request, for the refusals a real provider library
 * will not produce: its /authorize sends the browser straight back with a code, its /token
 * answers with an ID token signed with its own key (jose) whose issuer, audience, nonce or
 * expiry the test chooses, or with an HTTP error. It records what userpoold sent it.
 */
export interface RogueMode {
  issuer?: string;
  audience?: string;
  nonce?: string;
  /** Seconds from now of `exp` (negative: already expired). */
  expiresIn?: number;
  /** Answer /token with this HTTP status and no tokens. */
  tokenStatus?: number;
  /** Answer /authorize with this error instead of a code. */
  authorizeError?: string;
}

export interface RogueIdp {
  issuer: string;
  mode: RogueMode;
  /** Subject of the next sign-in. */
  subject: string;
  authorizeRequests: URLSearchParams[];
  tokenRequests: { headers: IncomingHttpHeaders; body: URLSearchParams }[];
  attributeRequests: { url: URL; authorization: string | undefined }[];
  close(): Promise<void>;
}

export async function startRogueIdp(clientId: string): Promise<RogueIdp> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'rogue', alg: 'ES256', use: 'sig' };
  let lastNonce = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', rogue.issuer);
    if (url.pathname === '/authorize') {
      rogue.authorizeRequests.push(url.searchParams);
      lastNonce = url.searchParams.get('nonce') ?? '';
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      if (rogue.mode.authorizeError) back.searchParams.set('error', rogue.mode.authorizeError);
      else back.searchParams.set('code', `code-${rogue.authorizeRequests.length}`);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { Location: back.toString() }).end();
      return;
    }
    if (url.pathname === '/jwks') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
      return;
    }
    if (url.pathname === '/me') {
      // Facebook's Graph API shape: `id`, and the fields asked for.
      rogue.attributeRequests.push({ url, authorization: req.headers.authorization });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id: rogue.subject, name: 'Rogue Person', email: `${rogue.subject}@rogue.example` }));
      return;
    }
    if (url.pathname === '/userinfo') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ sub: rogue.subject, email: `${rogue.subject}@rogue.example` }));
      return;
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      req.on('end', () => {
        rogue.tokenRequests.push({ headers: req.headers, body: new URLSearchParams(raw) });
        if (rogue.mode.tokenStatus !== undefined) {
          res.writeHead(rogue.mode.tokenStatus, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant' }));
          return;
        }
        const now = Math.floor(Date.now() / 1000);
        void new SignJWT({ nonce: rogue.mode.nonce ?? lastNonce, email: `${rogue.subject}@rogue.example` })
          .setProtectedHeader({ alg: 'ES256', kid: 'rogue' })
          .setIssuer(rogue.mode.issuer ?? rogue.issuer)
          .setAudience(rogue.mode.audience ?? clientId)
          .setSubject(rogue.subject)
          .setIssuedAt(now)
          .setExpirationTime(now + (rogue.mode.expiresIn ?? 300))
          .sign(privateKey)
          .then((idToken) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: 'rogue-access', token_type: 'Bearer', expires_in: 300, id_token: idToken })));
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const rogue: RogueIdp = {
    issuer: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    mode: {},
    subject: 'rogue-user',
    authorizeRequests: [],
    tokenRequests: [],
    attributeRequests: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return rogue;
}
