import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { selfSignedCertificate } from '../../src/services/tokens/self-signed-certificate.js';
import { parseXml } from '../../src/services/federation/xml-dom.js';

/**
 * A SAML 2.0 identity provider on port 0, built with samlify (a maintained SAML library), for the
 * SAML sign-in tests: metadata at /metadata, SingleSignOnService (HTTP-Redirect) at /sso, which
 * shows a sign-in form; its submission answers with the HTML-POST binding's form to the pool's
 * ACS, which the test submits (the pages run without script). Its key and self-signed certificate
 * are made here. `next` shapes the next response, to make the refusals: another audience, an
 * expired assertion, a response changed after signing.
 *
 * With `logoutUrl` (the pool's /saml2/logout) it also does single logout: its metadata names a
 * SingleLogoutService (HTTP-Redirect) at /slo, which verifies the pool's signed LogoutRequest and
 * answers with a signed LogoutResponse in a form posted to the pool (or verifies the pool's
 * LogoutResponse to its own request); /idp-logout?nameid= starts an IdP-initiated sign-out, and
 * `logoutResponse` / `logoutRequest` make messages (also forged, unsigned or altered ones).
 *
 * samlify asks for an XML schema validator before it parses a message. The ones it offers run
 * Java or fetch schemas; here the validator only checks that the XML is well-formed: this IdP
 * parses the AuthnRequests of the server under test, whose own checks of the response are what
 * the tests are about.
 *
 * samlify is loaded without its typings: they pull the DOM library into the program's globals
 * (see src/services/federation/xml-dom.ts); the members used are typed below.
 */
interface SamlifyEntity {
  getMetadata(): string;
}
interface LogoutExtract {
  extract: { request?: { id: string }; response?: { id: string; inResponseTo?: string }; nameID?: string; sessionIndex?: unknown; issuer?: string };
}
type TagReplacement = (template: string) => { id: string; context: string };
interface SamlifyIdp extends SamlifyEntity {
  parseLogoutRequest(sp: SamlifyEntity, binding: string, req: { query: Record<string, string>; octetString?: string }): Promise<LogoutExtract>;
  parseLogoutResponse(sp: SamlifyEntity, binding: string, req: { query: Record<string, string>; octetString?: string }): Promise<LogoutExtract>;
  createLogoutResponse(sp: SamlifyEntity, requestInfo: unknown, binding: string, options: { relayState?: string; customTagReplacement?: TagReplacement }): { context: string };
  createLogoutRequest(sp: SamlifyEntity, binding: string, user: Record<string, string>, options: { relayState?: string; customTagReplacement?: TagReplacement }): { context: string };
  parseLoginRequest(sp: SamlifyEntity, binding: string, req: { query: Record<string, string>; octetString?: string }): Promise<{ extract: { request: { id: string } } }>;
  createLoginResponse(
    sp: SamlifyEntity,
    requestInfo: { extract: { request: { id: string } } },
    binding: string,
    user: Record<string, string>,
    options: { relayState?: string; customTagReplacement?: (template: string) => { id: string; context: string } },
  ): Promise<{ context: string; entityEndpoint: string }>;
}
interface Samlify {
  IdentityProvider(settings: Record<string, unknown>): SamlifyIdp;
  ServiceProvider(settings: Record<string, unknown>): SamlifyEntity;
  setSchemaValidator(validator: { validate(xml: string): Promise<unknown> }): void;
  SamlLib: { defaultLoginResponseTemplate: { context: string }; replaceTagsByValue(template: string, values: Record<string, string>): string };
}

const samlify = createRequire(import.meta.url)('samlify') as Samlify;
samlify.setSchemaValidator({
  validate: async (xml: string) => {
    if (!parseXml(xml)) throw new Error('not well-formed XML');
    return 'ok';
  },
});

const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

/** How the next response departs from a good one. */
export interface NextResponse {
  audience?: string;
  /** Milliseconds added to every time in the assertion (negative: an assertion from the past). */
  shiftMs?: number;
  /** Change an attribute value after the response is signed. */
  tamper?: boolean;
  /** Leave InResponseTo out (an IdP-initiated response). */
  unsolicited?: boolean;
}

export interface AuthnRequestSeen {
  id: string;
  relayState: string;
  sigAlg: string | undefined;
  signed: boolean;
}

/** A LogoutRequest or LogoutResponse the IdP received at its SingleLogoutService (HTTP-Redirect). */
export interface LogoutSeen {
  kind: 'LogoutRequest' | 'LogoutResponse';
  id: string;
  nameId?: string | undefined;
  sessionIndex?: string | undefined;
  inResponseTo?: string | undefined;
  relayState: string;
  sigAlg: string | undefined;
}

/** How the IdP's next LogoutResponse (or a made one) departs from a good one. */
export interface LogoutShape {
  /** Signed with a key that is not in the metadata (same entity ID). */
  forged?: boolean;
  /** Not signed at all. */
  unsigned?: boolean;
  inResponseTo?: string;
  status?: string;
  issuer?: string;
}

export interface TestSamlIdp {
  url: string;
  entityId: string;
  metadataUrl: string;
  metadata: string;
  /** Attribute values the next sign-in sends, by SAML attribute name. */
  attributes: Record<string, string | string[]>;
  next: NextResponse;
  requests: AuthnRequestSeen[];
  /** The logout messages that reached /slo (verified by samlify: the pool signs them). */
  logouts: LogoutSeen[];
  /** The SessionIndex of the last sign-in of each NameID. */
  sessionIndexes: Map<string, string>;
  /** Shapes the LogoutResponse the next /slo LogoutRequest gets. */
  nextLogout: LogoutShape;
  /** A LogoutResponse (base64, HTTP-POST binding) to `inResponseTo`. */
  logoutResponse(inResponseTo: string, shape?: LogoutShape): string;
  /** An IdP-initiated LogoutRequest (base64, HTTP-POST binding) for `nameId`. */
  logoutRequest(nameId: string, sessionIndex?: string, shape?: LogoutShape): { id: string; base64: string };
  /** A signed response for `nameId`, as an IdP-initiated sign-in sends it (no AuthnRequest). */
  unsolicitedResponse(nameId: string): Promise<string>;
  close(): Promise<void>;
}

export interface SamlIdpOptions {
  /** The pool's SP: `urn:amazon:cognito:sp:<poolId>` and its ACS URL. */
  spEntityId: string;
  acsUrl: string;
  /** The IdP's clock (the server's pinned clock). */
  now: () => number;
  /** The pool's signing certificate (GetSigningCertificate), to check signed AuthnRequests. */
  spCertificate?: string;
  wantAuthnRequestsSigned?: boolean;
  /** The pool's /saml2/logout: the IdP then offers single logout (SingleLogoutService at /slo). */
  logoutUrl?: string;
  /** Encrypt assertions for this certificate (the pool's, when the provider has EncryptedResponses). */
  encryptFor?: string;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

function pem(base64: string, label: string): string {
  return `-----BEGIN ${label}-----\n${base64.replace(/(.{64})/g, '$1\n')}\n-----END ${label}-----\n`;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function html(body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Test IdP</title></head><body>${body}</body></html>`;
}

export async function startSamlIdp(options: SamlIdpOptions): Promise<TestSamlIdp> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const certificate = selfSignedCertificate(privateKey, 'test-saml-idp', Buffer.from('test-saml-idp-serial'), new Date(options.now() - 86_400_000)).toString('base64');
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const entityId = `${url}/metadata`;
  const idp = samlify.IdentityProvider({
    entityID: entityId,
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    signingCert: pem(certificate, 'CERTIFICATE'),
    singleSignOnService: [{ Binding: REDIRECT, Location: `${url}/sso` }],
    wantAuthnRequestsSigned: options.wantAuthnRequestsSigned ?? false,
    ...(options.logoutUrl !== undefined && { singleLogoutService: [{ Binding: REDIRECT, Location: `${url}/slo` }], wantLogoutRequestSigned: true }),
    nameIDFormat: ['urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified'],
    ...(options.encryptFor !== undefined && {
      isAssertionEncrypted: true,
      dataEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
      keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
    }),
  });
  const sp = samlify.ServiceProvider({
    entityID: options.spEntityId,
    assertionConsumerService: [{ Binding: POST, Location: options.acsUrl }],
    wantAssertionsSigned: true,
    authnRequestsSigned: options.wantAuthnRequestsSigned ?? false,
    ...(options.spCertificate !== undefined && { signingCert: pem(options.spCertificate, 'CERTIFICATE') }),
    ...(options.encryptFor !== undefined && { encryptCert: pem(options.encryptFor, 'CERTIFICATE') }),
    ...(options.logoutUrl !== undefined && { singleLogoutService: [{ Binding: POST, Location: options.logoutUrl }], wantLogoutResponseSigned: true, wantLogoutRequestSigned: true }),
  });
  // The same entity ID with a key of its own: what a forger who knows the IdP's name can sign.
  const rogueKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const rogue = samlify.IdentityProvider({
    entityID: entityId,
    privateKey: rogueKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    signingCert: pem(selfSignedCertificate(rogueKey, 'rogue-saml-idp', Buffer.from('rogue-serial'), new Date(options.now() - 86_400_000)).toString('base64'), 'CERTIFICATE'),
    singleSignOnService: [{ Binding: REDIRECT, Location: `${url}/sso` }],
    singleLogoutService: [{ Binding: REDIRECT, Location: `${url}/slo` }],
  });
  const unsignedSp = samlify.ServiceProvider({
    entityID: options.spEntityId,
    assertionConsumerService: [{ Binding: POST, Location: options.acsUrl }],
    ...(options.logoutUrl !== undefined && { singleLogoutService: [{ Binding: POST, Location: options.logoutUrl }] }),
  });
  const logouts: LogoutSeen[] = [];
  const sessionIndexes = new Map<string, string>();
  let nextLogout: LogoutShape = {};

  const logoutResponse = (inResponseTo: string, shape: LogoutShape = {}): string => {
    const id = `_${randomBytes(16).toString('hex')}`;
    const replace = (template: string) => ({
      id,
      context: samlify.SamlLib.replaceTagsByValue(template, {
        ID: id,
        IssueInstant: new Date(options.now()).toISOString(),
        Destination: options.logoutUrl ?? '',
        Issuer: shape.issuer ?? entityId,
        InResponseTo: shape.inResponseTo ?? inResponseTo,
        StatusCode: shape.status ?? 'urn:oasis:names:tc:SAML:2.0:status:Success',
      }),
    });
    const from = shape.forged ? rogue : idp;
    return from.createLogoutResponse(shape.unsigned ? unsignedSp : sp, { extract: { request: { id: inResponseTo } } }, 'post', { customTagReplacement: replace }).context;
  };

  const logoutRequest = (nameId: string, sessionIndex?: string, shape: LogoutShape = {}): { id: string; base64: string } => {
    const id = `_${randomBytes(16).toString('hex')}`;
    const replace = (template: string) => {
      let xml = template;
      if (sessionIndex === undefined) xml = xml.replace(/<samlp:SessionIndex>\{SessionIndex\}<\/samlp:SessionIndex>/, '');
      return {
        id,
        context: samlify.SamlLib.replaceTagsByValue(xml, {
          ID: id,
          IssueInstant: new Date(options.now()).toISOString(),
          Destination: options.logoutUrl ?? '',
          Issuer: shape.issuer ?? entityId,
          NameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
          NameID: nameId,
          SessionIndex: sessionIndex ?? '',
        }),
      };
    };
    const from = shape.forged ? rogue : idp;
    return { id, base64: from.createLogoutRequest(shape.unsigned ? unsignedSp : sp, 'post', { logoutNameID: nameId }, { customTagReplacement: replace }).context };
  };

  const state: Pick<TestSamlIdp, 'attributes' | 'next' | 'requests'> = { attributes: {}, next: {}, requests: [] };

  const attributeStatement = () => {
    const entries = Object.entries(state.attributes);
    if (entries.length === 0) return '';
    const attributes = entries
      .map(([name, value]) => {
        const values = (Array.isArray(value) ? value : [value]).map((v) => `<saml:AttributeValue xsi:type="xs:string">${escapeXml(v)}</saml:AttributeValue>`).join('');
        return `<saml:Attribute Name="${escapeXml(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${values}</saml:Attribute>`;
      })
      .join('');
    return `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>`;
  };

  /** The signed response for `nameId`, answering `requestId` (none: unsolicited). */
  const respond = async (nameId: string, requestId: string | undefined, relayState: string): Promise<string> => {
    const next = state.next;
    state.next = {};
    const shift = next.shiftMs ?? 0;
    const now = new Date(options.now() + shift);
    const later = new Date(options.now() + shift + 5 * 60_000);
    const id = `_${randomBytes(16).toString('hex')}`;
    sessionIndexes.set(nameId, id);
    const inResponseTo = next.unsolicited || requestId === undefined ? undefined : requestId;
    const replace = (template: string) => {
      let xml = template;
      // Without a request, InResponseTo is left out altogether (not written empty).
      if (inResponseTo === undefined) xml = xml.replace(/ InResponseTo="\{InResponseTo\}"/g, '');
      // samlify escapes every value it puts in; the XML fragments go in first, as they are.
      xml = xml
        .replace('{AuthnStatement}', `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="${id}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`)
        .replace('{AttributeStatement}', attributeStatement());
      const context = samlify.SamlLib.replaceTagsByValue(xml, {
        ID: id,
        AssertionID: `_a${id.slice(1)}`,
        Destination: options.acsUrl,
        Audience: next.audience ?? options.spEntityId,
        SubjectRecipient: options.acsUrl,
        Issuer: entityId,
        IssueInstant: now.toISOString(),
        StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Success',
        ConditionsNotBefore: now.toISOString(),
        ConditionsNotOnOrAfter: later.toISOString(),
        SubjectConfirmationDataNotOnOrAfter: later.toISOString(),
        NameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
        NameID: nameId,
        InResponseTo: inResponseTo ?? '',
      });
      return { id, context };
    };
    const made = await idp.createLoginResponse(sp, { extract: { request: { id: inResponseTo ?? '' } } }, 'post', { email: nameId }, { relayState, customTagReplacement: replace });
    if (!next.tamper) return made.context;
    const xml = Buffer.from(made.context, 'base64').toString('utf8');
    const changed = xml.replace(/(<saml:AttributeValue[^>]*>)([^<]*)(<\/saml:AttributeValue>)/, (_m, open: string, value: string, close: string) => `${open}${value}x${close}`);
    if (changed === xml) throw new Error('nothing to tamper with: give the response an attribute');
    return Buffer.from(changed, 'utf8').toString('base64');
  };

  server.on('request', (req, res) => {
    void (async () => {
      const target = new URL(req.url ?? '/', url);
      if (req.method === 'GET' && target.pathname === '/metadata') {
        res.writeHead(200, { 'Content-Type': 'application/samlmetadata+xml' }).end(idp.getMetadata());
        return;
      }
      if (req.method === 'GET' && target.pathname === '/sso') {
        const query = Object.fromEntries(target.searchParams);
        // The signed octets of the HTTP-Redirect binding, as they came (saml-bindings §3.4.4.1).
        const raw = (req.url ?? '').split('?')[1] ?? '';
        const octetString = raw.split('&').filter((p) => /^(SAMLRequest|RelayState|SigAlg)=/.test(p)).join('&');
        const parsed = await idp.parseLoginRequest(sp, 'redirect', { query, octetString });
        const seen = { id: parsed.extract.request.id, relayState: query.RelayState ?? '', sigAlg: query.SigAlg, signed: query.Signature !== undefined };
        state.requests.push(seen);
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(
          html(
            `<h1>Test IdP sign-in</h1><form method="post" action="/login"><input type="hidden" name="request" value="${escapeXml(seen.id)}"><input type="hidden" name="relay" value="${escapeXml(seen.relayState)}"><label for="nameid">Username<input id="nameid" name="nameid"></label><button type="submit">Sign in</button></form>`,
          ),
        );
        return;
      }
      if (req.method === 'GET' && target.pathname === '/slo') {
        const query = Object.fromEntries(target.searchParams);
        const raw = (req.url ?? '').split('?')[1] ?? '';
        const kind = query.SAMLRequest !== undefined ? 'SAMLRequest' : 'SAMLResponse';
        const octetString = raw.split('&').filter((p) => new RegExp(`^(${kind}|RelayState|SigAlg)=`).test(p)).join('&');
        const relay = query.RelayState ?? '';
        if (kind === 'SAMLRequest') {
          // The pool's LogoutRequest: samlify checks its signature against the pool's certificate.
          const parsed = await idp.parseLogoutRequest(sp, 'redirect', { query, octetString });
          const sessionIndex = parsed.extract.sessionIndex;
          logouts.push({
            kind: 'LogoutRequest',
            id: parsed.extract.request?.id ?? '',
            nameId: parsed.extract.nameID,
            sessionIndex: typeof sessionIndex === 'string' ? sessionIndex : Array.isArray(sessionIndex) ? String(sessionIndex[0]) : undefined,
            relayState: relay,
            sigAlg: query.SigAlg,
          });
          const shape = nextLogout;
          nextLogout = {};
          const response = logoutResponse(parsed.extract.request?.id ?? '', shape);
          res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(
            html(
              `<h1>Test IdP sign-out</h1><form method="post" action="${escapeXml(options.logoutUrl ?? '')}"><input type="hidden" name="SAMLResponse" value="${escapeXml(response)}"><input type="hidden" name="RelayState" value="${escapeXml(relay)}"><button type="submit">Continue</button></form>`,
            ),
          );
          return;
        }
        // The pool's answer to an IdP-initiated LogoutRequest.
        const parsed = await idp.parseLogoutResponse(sp, 'redirect', { query, octetString });
        logouts.push({ kind: 'LogoutResponse', id: parsed.extract.response?.id ?? '', inResponseTo: parsed.extract.response?.inResponseTo, relayState: relay, sigAlg: query.SigAlg });
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html('<h1>Signed out at the test IdP</h1>'));
        return;
      }
      if (req.method === 'GET' && target.pathname === '/idp-logout') {
        // An IdP-initiated sign-out: a form that posts a LogoutRequest to the pool.
        const nameId = target.searchParams.get('nameid') ?? '';
        const made = logoutRequest(nameId, sessionIndexes.get(nameId));
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(
          html(
            `<form method="post" action="${escapeXml(options.logoutUrl ?? '')}"><input type="hidden" name="SAMLRequest" value="${escapeXml(made.base64)}"><input type="hidden" name="RelayState" value="idp-relay-1"><button type="submit">Sign out everywhere</button></form>`,
          ),
        );
        return;
      }
      if (req.method === 'POST' && target.pathname === '/login') {
        const form = await readForm(req);
        const samlResponse = await respond(form.get('nameid') ?? '', form.get('request') ?? undefined, form.get('relay') ?? '');
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(
          html(
            `<form method="post" action="${escapeXml(options.acsUrl)}"><input type="hidden" name="SAMLResponse" value="${escapeXml(samlResponse)}"><input type="hidden" name="RelayState" value="${escapeXml(form.get('relay') ?? '')}"><button type="submit">Continue</button></form>`,
          ),
        );
        return;
      }
      res.writeHead(404).end();
    })().catch((err: unknown) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(err instanceof Error ? err.message : String(err));
    });
  });

  return {
    url,
    entityId,
    metadataUrl: `${url}/metadata`,
    metadata: idp.getMetadata(),
    get attributes() {
      return state.attributes;
    },
    set attributes(value) {
      state.attributes = value;
    },
    get next() {
      return state.next;
    },
    set next(value) {
      state.next = value;
    },
    requests: state.requests,
    logouts,
    sessionIndexes,
    get nextLogout() {
      return nextLogout;
    },
    set nextLogout(value) {
      nextLogout = value;
    },
    logoutResponse,
    logoutRequest,
    unsolicitedResponse: (nameId: string) => respond(nameId, undefined, ''),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
