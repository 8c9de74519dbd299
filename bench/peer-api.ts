/** Calls made to a peer server (cognito-local, moto) over the AWS JSON protocol, unsigned. */

export const peerHeaders = (operation: string) => ({
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
});

export async function callPeer(peer: string, url: string, operation: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', headers: peerHeaders(operation), body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${peer} ${operation}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** The pool and app client every peer is measured with, made through its own API. */
export async function createBenchPool(peer: string, url: string): Promise<{ poolId: string; clientId: string }> {
  const pool = (await callPeer(peer, url, 'CreateUserPool', { PoolName: 'bench' })).UserPool as { Id: string };
  const client = (
    await callPeer(peer, url, 'CreateUserPoolClient', {
      UserPoolId: pool.Id,
      ClientName: 'bench',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    })
  ).UserPoolClient as { ClientId: string };
  return { poolId: pool.Id, clientId: client.ClientId };
}
