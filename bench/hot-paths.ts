import { randomInt } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyMfaConfig } from '../src/domain/mfa/pool-mfa-config.js';
import { poolSettingsFromRequest, type PoolSettings } from '../src/domain/pools/user-pool.js';
import { authenticatorCode } from '../test/support/totp.js';
import type { OperationName } from '../src/model/generated/operations.js';
import type { BenchDatabase } from './databases.js';
import { deviceSignInStep } from './device-sign-in.js';
import { sequence, type Send, type Step } from './load.js';
import { OAUTH_NAMES, oauthScenarios } from './oauth-paths.js';
import { createPool, SEEDED_PASSWORD, seededUsername, seedGroups, seedMemberships, seedTotpUsers, seedUsers } from './seed.js';
import type { Preparer } from './sign.js';
import { LOOKUP_CLASSES, type Scenario } from './workloads.js';

/**
 * Workloads for the paths that groups, triggers and MFA added to sign-in, run only when --only
 * names them (the default run, its tables and its database sizes stay as they were):
 * - sign-in and refresh for users in 0, 1 and 20 groups (every token issue reads the groups);
 * - ListUsersInGroup (first page of a 1,000-member group) and AdminListGroupsForUser (20
 *   groups) in the main pool, so they are measured at each pool size;
 * - REFRESH_TOKEN_AUTH with a PreTokenGeneration trigger, as a module (warm workers kept per module (src/services/triggers/module-invoker.ts))
 *   and as a URL (a node:http server in this process): refresh needs no argon2, so the
 *   trigger's cost shows;
 * - the TOTP sign-in round trip (USER_PASSWORD_AUTH, then SOFTWARE_TOKEN_MFA);
 * - the sign-in of a remembered device in place of TOTP (device-sign-in.ts: three requests).
 * The sign-in workloads use pools of their own, seeded before the first phase, so that their
 * settings (triggers, MFA) and users touch nothing the other workloads measure.
 */
export const HOT = {
  signIn: (groups: GroupCount) => `USER_PASSWORD_AUTH (groups: ${groups})`,
  refresh: (groups: GroupCount) => `REFRESH_TOKEN_AUTH (groups: ${groups})`,
  members: 'ListUsersInGroup (1000 members; Limit 60)',
  groupsOfUser: 'AdminListGroupsForUser (20 groups)',
  moduleTrigger: 'REFRESH_TOKEN_AUTH + PreTokenGeneration module trigger',
  httpTrigger: 'REFRESH_TOKEN_AUTH + PreTokenGeneration HTTP trigger',
  totp: 'TOTP sign-in round trip (USER_PASSWORD_AUTH + SOFTWARE_TOKEN_MFA)',
  device: 'remembered-device sign-in (USER_PASSWORD_AUTH + DEVICE_SRP_AUTH + DEVICE_PASSWORD_VERIFIER)',
} as const;

const GROUP_COUNTS = [0, 1, 20] as const;
type GroupCount = (typeof GROUP_COUNTS)[number];

export const HOT_NAMES: readonly string[] = [
  ...GROUP_COUNTS.map(HOT.signIn),
  ...GROUP_COUNTS.map(HOT.refresh),
  HOT.members,
  HOT.groupsOfUser,
  HOT.moduleTrigger,
  HOT.httpTrigger,
  HOT.totp,
  HOT.device,
  ...OAUTH_NAMES,
];

export const isHotPath = (name: string) => HOT_NAMES.includes(name);

/** The side pools' users are numbered from here, far above any main-pool size (subs stay distinct). */
const SIDE = 2_000_000_000;
/** Users per group count that sign in with a password: each once per cycle, never two at once. */
const SIGN_IN_USERS = 300;
/** Users whose refresh tokens are replayed (refresh has no lockout; several at once are fine). */
const REFRESH_USERS = 8;
/** TOTP users: each accepts a time step once, two steps per 30 s (the current and the next). */
const TOTP_USERS = 2_000;
/** Users with a remembered device, signed in in turn (devices are registered through the API, so few). */
const DEVICE_USERS = 64;
const MEMBERS = 1_000;
const TWENTY = Array.from({ length: 20 }, (_, k) => `g${String(k).padStart(2, '0')}`);
const BIG_GROUP = 'bench-members';
/** Main-pool users in all 20 groups, for AdminListGroupsForUser. */
const IN_TWENTY = 100;

const ARN = {
  module: 'arn:aws:lambda:us-east-1:000000000000:function:bench-pre-token-module',
  http: 'arn:aws:lambda:us-east-1:000000000000:function:bench-pre-token-http',
};
/** What both triggers do: one claim added to the ID token, the smallest change that is still one. */
const TRIGGER_SOURCE = `export async function handler(event) {
  event.response = { claimsOverrideDetails: { claimsToAddOrOverride: { bench: 'yes' } } };
  return event;
}
`;

export interface HotPathsSetup {
  db: BenchDatabase;
  dataDir: string;
  passwordHash: string;
  now: number;
  wanted: (name: string) => boolean;
  log: (line: string) => void;
}

export interface HotPathsContext {
  url: string;
  prepare: Preparer;
  mainPoolId: string;
  size: number;
  createClient: (poolId: string) => Promise<string>;
}

export interface HotPaths {
  /** Flags for the server processes (the triggers file). */
  serverArgs: string[];
  /** Before a phase's servers start: main-pool groups and memberships for users [0, size). */
  beforePhase(mainPoolId: string, size: number, now: number): Promise<void>;
  scenarios(ctx: HotPathsContext): Promise<Scenario[]>;
  close(): Promise<void>;
}

interface SidePool {
  id: string;
  users: number[];
  clientId?: string;
  refreshTokens?: string[];
}

export async function prepareHotPaths(setup: HotPathsSetup): Promise<HotPaths> {
  const { db, now, wanted } = setup;
  const any = (names: readonly string[]) => names.some(wanted);
  const serverArgs: string[] = [];
  const closers: (() => Promise<void>)[] = [];

  const sideUsers = async (name: string, settings: PoolSettings | undefined, from: number, count: number): Promise<SidePool> => {
    const pool = await createPool(db, name, now, settings);
    await seedUsers(db, pool, { from, to: from + count, passwordHash: setup.passwordHash }, now);
    return { id: pool.id, users: Array.from({ length: count }, (_, k) => from + k) };
  };

  // Users in 0, 1 and 20 groups, one range each, in a pool of their own with 20 groups.
  const byGroups = new Map<GroupCount, SidePool>();
  let groupsPoolId: string | undefined;
  if (any([...GROUP_COUNTS.map(HOT.signIn), ...GROUP_COUNTS.map(HOT.refresh)])) {
    const all = await sideUsers('bench-groups', undefined, SIDE, GROUP_COUNTS.length * SIGN_IN_USERS);
    groupsPoolId = all.id;
    await seedGroups(db, all.id, TWENTY, now);
    for (const [k, groups] of GROUP_COUNTS.entries()) {
      const users = all.users.slice(k * SIGN_IN_USERS, (k + 1) * SIGN_IN_USERS);
      await seedMemberships(db, all.id, TWENTY.slice(0, groups), users);
      byGroups.set(groups, { id: all.id, users });
    }
  }

  // PreTokenGeneration behind a module and behind a URL, each in its own pool.
  const triggerPools = new Map<'module' | 'http', SidePool>();
  if (any([HOT.moduleTrigger, HOT.httpTrigger])) {
    const server = await triggerServer();
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    writeFileSync(join(setup.dataDir, 'bench-pre-token.mjs'), TRIGGER_SOURCE);
    const file = join(setup.dataDir, 'bench-triggers.json');
    writeFileSync(file, JSON.stringify({ [ARN.module]: { module: './bench-pre-token.mjs' }, [ARN.http]: { url: `http://127.0.0.1:${port}/` } }));
    serverArgs.push('--triggers-file', file);
    for (const [k, kind] of (['module', 'http'] as const).entries()) {
      const settings = poolSettingsFromRequest({ LambdaConfig: { PreTokenGeneration: ARN[kind] } });
      triggerPools.set(kind, await sideUsers(`bench-trigger-${kind}`, settings, SIDE + 10_000 * (k + 1), REFRESH_USERS));
    }
  }

  // TOTP: a pool with MFA optional and authenticators on, its users with one verified.
  let totp: (SidePool & { step: Step }) | undefined;
  if (wanted(HOT.totp)) {
    const settings = applyMfaConfig(poolSettingsFromRequest({}), { MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } });
    const side = await sideUsers('bench-totp', settings, SIDE + 100_000, TOTP_USERS);
    const secrets = await seedTotpUsers(db, side.id, side.users, now);
    // One step for the whole run: it remembers the time steps spent, across phases too.
    totp = Object.assign(side, { step: totpStep(side, secrets) });
  }

  // Remembered devices: the TOTP pool's settings, plus devices that stand in for the second factor.
  let devices: (SidePool & { secrets: Map<number, string>; step?: Step }) | undefined;
  if (wanted(HOT.device)) {
    const settings = applyMfaConfig(poolSettingsFromRequest({ DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false } }), {
      MfaConfiguration: 'OPTIONAL',
      SoftwareTokenMfaConfiguration: { Enabled: true },
    });
    const side = await sideUsers('bench-devices', settings, SIDE + 200_000, DEVICE_USERS);
    devices = Object.assign(side, { secrets: await seedTotpUsers(db, side.id, side.users, now) });
  }

  // The OAuth 2.0 endpoints (oauth-paths.ts): a pool of their own, whose users hold the browser sessions.
  const oauth = any(OAUTH_NAMES) ? await sideUsers('bench-oauth', undefined, SIDE + 300_000, 16).then((side) => oauthScenarios({ poolId: side.id, users: side.users }, wanted)) : undefined;

  let mainReady = false;
  let members = 0;
  let inTwenty: number[] = [];
  let seededTo = 0;

  return {
    serverArgs,
    async beforePhase(mainPoolId, size, phaseNow) {
      if (!any([HOT.members, HOT.groupsOfUser])) return;
      if (!mainReady) {
        await seedGroups(db, mainPoolId, [BIG_GROUP, ...TWENTY], phaseNow);
        mainReady = true;
      }
      // Users of the lookup classes only: nothing else changes them in a way a listing sees.
      const fresh: number[] = [];
      const needed = MEMBERS - members + IN_TWENTY - inTwenty.length;
      for (let i = seededTo; i < size && fresh.length < needed; i++) {
        if ((LOOKUP_CLASSES as readonly number[]).includes(i % 10)) fresh.push(i);
      }
      seededTo = size;
      // Two disjoint sets, so that the users listed by AdminListGroupsForUser have exactly 20 groups.
      const toTwenty = fresh.slice(0, IN_TWENTY - inTwenty.length);
      await seedMemberships(db, mainPoolId, TWENTY, toTwenty);
      inTwenty = [...inTwenty, ...toTwenty];
      const toBig = fresh.slice(toTwenty.length, toTwenty.length + MEMBERS - members);
      await seedMemberships(db, mainPoolId, [BIG_GROUP], toBig);
      members += toBig.length;
    },

    async scenarios(ctx) {
      const out: Scenario[] = [];
      const json = JSON.stringify;
      const clientOf = async (side: SidePool) => (side.clientId ??= await ctx.createClient(side.id));
      const refreshSteps = async (side: SidePool, expect: Expect) => {
        const clientId = await clientOf(side);
        side.refreshTokens ??= await Promise.all(side.users.slice(0, REFRESH_USERS).map((i) => refreshTokenOf(ctx.url, clientId, i, expect)));
        const bodies = side.refreshTokens.map((token) => json({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token } }));
        return sequence(await ctx.prepare('InitiateAuth', bodies), true);
      };

      if (groupsPoolId !== undefined) {
        for (const groups of GROUP_COUNTS) {
          const side = byGroups.get(groups) as SidePool;
          if (wanted(HOT.signIn(groups))) {
            const clientId = await clientOf(side);
            const bodies = side.users.map((i) => json({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: seededUsername(i), PASSWORD: SEEDED_PASSWORD } }));
            out.push({ name: HOT.signIn(groups), common: false, passwordBound: true, step: sequence(await ctx.prepare('InitiateAuth', bodies), true) });
          }
          if (wanted(HOT.refresh(groups))) out.push({ name: HOT.refresh(groups), common: false, step: await refreshSteps(side, { groups }) });
        }
      }

      if (wanted(HOT.members)) {
        if (members < MEMBERS) setup.log(`  ${HOT.members}: skipped at ${ctx.size.toLocaleString('en-US')} users (the pool has ${members} users to put in the group)`);
        else {
          const bodies = Array.from({ length: 100 }, () => json({ UserPoolId: ctx.mainPoolId, GroupName: BIG_GROUP, Limit: 60 }));
          await expectOnce(ctx, 'ListUsersInGroup', bodies[0] as string, (r: { Users?: unknown[]; NextToken?: string }) => r.Users?.length === 60 && r.NextToken !== undefined);
          out.push({ name: HOT.members, common: false, step: sequence(await ctx.prepare('ListUsersInGroup', bodies), true) });
        }
      }
      if (wanted(HOT.groupsOfUser) && inTwenty.length > 0) {
        const bodies = Array.from({ length: 2_000 }, () => json({ UserPoolId: ctx.mainPoolId, Username: seededUsername(inTwenty[randomInt(0, inTwenty.length)] as number) }));
        await expectOnce(ctx, 'AdminListGroupsForUser', bodies[0] as string, (r: { Groups?: unknown[] }) => r.Groups?.length === 20);
        out.push({ name: HOT.groupsOfUser, common: false, step: sequence(await ctx.prepare('AdminListGroupsForUser', bodies), true) });
      }

      for (const [kind, name] of [
        ['module', HOT.moduleTrigger],
        ['http', HOT.httpTrigger],
      ] as const) {
        const side = triggerPools.get(kind);
        if (side && wanted(name)) out.push({ name, common: false, step: await refreshSteps(side, { trigger: true }) });
      }

      if (totp) {
        await clientOf(totp);
        out.push({ name: HOT.totp, common: false, passwordBound: true, step: totp.step });
      }
      if (devices) {
        // Registered once, in the first phase: the devices stay in the database for the next ones.
        devices.step ??= await deviceSignInStep(ctx.url, await clientOf(devices), devices.secrets);
        out.push({ name: HOT.device, common: false, passwordBound: true, step: devices.step });
      }
      if (oauth) out.push(...(await oauth(ctx.url, ctx.prepare)));
      return out;
    },

    async close() {
      for (const close of closers) await close();
    },
  };
}

/** One request before the workload, to check that it answers what the workload's name says. */
async function expectOnce<T>(ctx: HotPathsContext, operation: OperationName, body: string, ok: (answer: T) => boolean): Promise<void> {
  const [request] = await ctx.prepare(operation, [body]);
  const res = await fetch(ctx.url, { method: 'POST', headers: request?.headers, body });
  const text = await res.text();
  if (res.status !== 200 || !ok(JSON.parse(text) as T)) throw new Error(`${operation} did not answer as the workload expects: ${res.status} ${text.slice(0, 300)}`);
}

/** What the ID token must show, so that a workload measures what its name says. */
interface Expect {
  groups?: number;
  trigger?: boolean;
}

/**
 * A user's refresh token, from one password sign-in (setup, not measured), after checking that
 * a refresh with it issues the ID token expected: the user's groups, or the trigger's claim.
 */
async function refreshTokenOf(url: string, clientId: string, user: number, expect: Expect): Promise<string> {
  type Result = { AuthenticationResult?: { RefreshToken?: string; IdToken?: string } };
  const res = await post(url, 'InitiateAuth', {
    ClientId: clientId,
    AuthFlow: 'USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: seededUsername(user), PASSWORD: SEEDED_PASSWORD },
  });
  const token = (JSON.parse(res.text) as Result).AuthenticationResult?.RefreshToken;
  if (res.status !== 200 || token === undefined) throw new Error(`sign-in for a refresh token: ${res.status} ${res.text.slice(0, 300)}`);
  const refreshed = await post(url, 'InitiateAuth', { ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token } });
  const idToken = (JSON.parse(refreshed.text) as Result).AuthenticationResult?.IdToken;
  if (refreshed.status !== 200 || idToken === undefined) throw new Error(`REFRESH_TOKEN_AUTH: ${refreshed.status} ${refreshed.text.slice(0, 300)}`);
  const claims = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  const groups = (claims['cognito:groups'] as unknown[] | undefined)?.length ?? 0;
  if (expect.groups !== undefined && groups !== expect.groups) throw new Error(`${seededUsername(user)}: ID token with ${groups} groups, expected ${expect.groups}`);
  if (expect.trigger && claims.bench !== 'yes') throw new Error(`${seededUsername(user)}: the PreTokenGeneration trigger's claim is missing from the ID token`);
  return token;
}

const TARGET = 'AWSCognitoIdentityProviderService.';

async function post(url: string, operation: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': TARGET + operation }, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

/** The URL trigger: answers the event with the same change the module makes. */
async function triggerServer(): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      event.response = { claimsOverrideDetails: { claimsToAddOrOverride: { bench: 'yes' } } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(event));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return server;
}

/**
 * The TOTP round trip: USER_PASSWORD_AUTH, which answers SOFTWARE_TOKEN_MFA with a Session, then
 * RespondToAuthChallenge with a code the load generator computes. The server accepts the
 * current step ±1 and each step once per user (src/services/mfa/user-mfa.ts), so each request
 * takes a (user, step) pair not used before: the current step or the next, never the previous
 * (the password check may take long enough for the step to turn). Users go round in turn.
 */
function totpStep(state: Pick<SidePool, 'clientId'>, secrets: ReadonlyMap<number, string>): Step {
  const users = [...secrets.keys()];
  const lastStep = new Map<number, number>();
  let next = 0;
  const reserve = (): { user: number; step: number } | undefined => {
    const current = Math.floor(Date.now() / 30_000);
    for (let tried = 0; tried < users.length; tried++) {
      const user = users[next++ % users.length] as number;
      const step = Math.max(current, (lastStep.get(user) ?? -Infinity) + 1);
      if (step <= current + 1) {
        lastStep.set(user, step);
        return { user, step };
      }
    }
    return undefined;
  };
  const headers = (operation: string) => ({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': TARGET + operation });
  return async (send: Send) => {
    const slot = reserve();
    if (!slot) return 'every TOTP user has spent the current and the next step';
    const username = seededUsername(slot.user);
    const first = await send({
      headers: headers('InitiateAuth'),
      body: JSON.stringify({ ClientId: state.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: SEEDED_PASSWORD } }),
    });
    if (first.status !== 200) return `InitiateAuth ${first.status} ${first.text.slice(0, 200)}`;
    const challenge = JSON.parse(first.text) as { ChallengeName?: string; Session?: string };
    if (challenge.ChallengeName !== 'SOFTWARE_TOKEN_MFA') return `InitiateAuth answered ${first.text.slice(0, 200)}`;
    const code = authenticatorCode(secrets.get(slot.user) as string, slot.step * 30_000);
    const second = await send({
      headers: headers('RespondToAuthChallenge'),
      body: JSON.stringify({
        ClientId: state.clientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: code },
      }),
    });
    if (second.status !== 200) return `RespondToAuthChallenge ${second.status} ${second.text.slice(0, 200)}`;
    return second.text.includes('"AccessToken"') ? undefined : `RespondToAuthChallenge answered ${second.text.slice(0, 200)}`;
  };
}
