import {
  AdminCreateUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import type { EmailMessage } from '../src/services/delivery/transport.js';
import { startServer, type TestServer } from './support/server.js';

/**
 * A committed message wakes the delivery worker only when the worker delivers its channel
 * (services/delivery/queued-channels.ts). Without SMTP every email stays in the outbox, and a
 * claim per reset cost half of AdminResetUserPassword's server CPU (bench/RESULTS.md). The poll
 * is set to ten minutes here, so whatever is claimed or delivered within the test came from a
 * wake.
 */
describe('delivery worker wake-ups', () => {
  const POLL_MS = 600_000;

  async function resetUsers(server: TestServer, count: number) {
    const created = await server.client.send(new CreateUserPoolCommand({ PoolName: 'wake' }));
    const poolId = created.UserPool?.Id as string;
    for (let i = 0; i < count; i++) {
      const Username = `user${i}`;
      await server.client.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username,
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: `${Username}@example.com` },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      );
      // A user who has never had a password of their own cannot be reset: confirm one first.
      await server.client.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username, Password: 'Correct-Horse-1', Permanent: true }));
      await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username }));
    }
  }

  /** Counts the worker's claims from now on (it holds the same store object). */
  function countClaims(server: TestServer): { readonly count: number } {
    const store = server.app.deps.store;
    const claim = store.claimMessages.bind(store);
    const counter = { count: 0 };
    store.claimMessages = (...args) => {
      counter.count++;
      return claim(...args);
    };
    return counter;
  }

  it('a message for a channel without a transport wakes nothing: no claim per reset', async () => {
    const server = await startServer({ config: { deliveryPollMs: POLL_MS } });
    try {
      assert.deepEqual(server.app.delivery.channels, ['CustomEmailSender', 'CustomSMSSender'], 'no SMTP or SMS transport here');
      await sleep(50); // the claim made at start, if any, is done
      const claims = countClaims(server);
      await resetUsers(server, 5);
      await sleep(50);
      assert.equal(claims.count, 0);
    } finally {
      await server.close();
    }
  });

  it('a message for a channel with a transport wakes the worker at once', async () => {
    const sent: EmailMessage[] = [];
    const server = await startServer({
      config: { deliveryPollMs: POLL_MS },
      overrides: {
        email: {
          send: async (message) => {
            sent.push(message);
          },
        },
      },
    });
    try {
      await sleep(50);
      const claims = countClaims(server);
      await resetUsers(server, 3);
      for (let i = 0; i < 100 && sent.length < 3; i++) await sleep(20);
      assert.deepEqual(sent.map((m) => m.to).sort(), ['user0@example.com', 'user1@example.com', 'user2@example.com']);
      assert.ok(claims.count >= 1, 'delivered by claims that wake-ups made');
    } finally {
      await server.close();
    }
  });
});
