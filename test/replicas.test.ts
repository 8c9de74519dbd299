import {
  CreateUserPoolReplicaCommand,
  DeleteUserPoolCommand,
  DeleteUserPoolReplicaCommand,
  ListUserPoolReplicasCommand,
  UpdateUserPoolReplicaCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPoolWithClient } from './support/fixtures.js';
import { E2E_DIALECTS, skipFor } from './support/postgres-schema.js';
import { expectAwsError, startServer, type TestServer } from './support/server.js';

const ACCOUNT = '000000000000';
const arn = (region: string, poolId: string) => `arn:aws:cognito-idp:${region}:${ACCOUNT}:userpool/${poolId}`;

for (const dialect of E2E_DIALECTS) describe(`user pool replicas (${dialect})`, { skip: skipFor(dialect) }, () => {
  let server: TestServer;
  let poolId: string;
  before(async () => {
    server = await startServer({ dialect });
    ({ poolId } = await createPoolWithClient(server.client, { PoolName: 'replicated' }));
  });
  after(() => server.close());

  const list = async (id = poolId) => (await server.client.send(new ListUserPoolReplicasCommand({ UserPoolId: id }))).UserPoolReplicas;

  it('lists the pool itself as the primary before any replica', async () => {
    assert.deepEqual(await list(), [{ RegionName: 'us-east-1', Status: 'ACTIVE', Role: 'PRIMARY', UserPoolArn: arn('us-east-1', poolId) }]);
  });

  it('records replicas, lists them by region, updates their status and deletes them', async () => {
    const created = await server.client.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'us-west-2', UserPoolTags: { team: 'a' } }));
    assert.deepEqual(created.UserPoolReplica, { RegionName: 'us-west-2', Status: 'ACTIVE', Role: 'SECONDARY', UserPoolArn: arn('us-west-2', poolId) });
    await server.client.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'eu-west-1' }));
    assert.deepEqual(
      (await list())?.map((r) => [r.RegionName, r.Role, r.Status]),
      [
        ['us-east-1', 'PRIMARY', 'ACTIVE'],
        ['eu-west-1', 'SECONDARY', 'ACTIVE'],
        ['us-west-2', 'SECONDARY', 'ACTIVE'],
      ],
    );

    const updated = await server.client.send(new UpdateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'us-west-2', Status: 'INACTIVE' }));
    assert.equal(updated.UserPoolReplica?.Status, 'INACTIVE');
    assert.equal((await list())?.find((r) => r.RegionName === 'us-west-2')?.Status, 'INACTIVE');

    const deleted = await server.client.send(new DeleteUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'eu-west-1' }));
    assert.deepEqual(deleted.UserPoolReplica, { RegionName: 'eu-west-1', Status: 'DELETING', Role: 'SECONDARY', UserPoolArn: arn('eu-west-1', poolId) });
    assert.deepEqual((await list())?.map((r) => r.RegionName), ['us-east-1', 'us-west-2']);
  });

  it('refuses the pool’s own region, a region twice, a malformed region and an unknown replica', async () => {
    await expectAwsError(
      () => server.client.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'us-east-1' })),
      'InvalidParameterException',
      `User pool ${poolId} is already in us-east-1.`,
    );
    await expectAwsError(
      () => server.client.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'us-west-2' })),
      'InvalidParameterException',
      `User pool ${poolId} already has a replica in us-west-2.`,
    );
    await expectAwsError(
      () => server.client.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'mars-1' })),
      'InvalidParameterException',
      'Invalid region name: mars-1.',
    );
    await expectAwsError(
      () => server.client.send(new UpdateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'ap-south-1', Status: 'ACTIVE' })),
      'ResourceNotFoundException',
      `User pool ${poolId} has no replica in ap-south-1.`,
    );
    await expectAwsError(
      () => server.client.send(new DeleteUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'ap-south-1' })),
      'ResourceNotFoundException',
      `User pool ${poolId} has no replica in ap-south-1.`,
    );
    for (const send of [
      () => server.client.send(new ListUserPoolReplicasCommand({ UserPoolId: 'us-east-1_nothere' })),
      () => server.client.send(new CreateUserPoolReplicaCommand({ UserPoolId: 'us-east-1_nothere', RegionName: 'us-west-2' })),
    ]) {
      await expectAwsError(send, 'ResourceNotFoundException', 'User pool us-east-1_nothere does not exist.');
    }
  });

  it('deleting the pool deletes its replicas', async () => {
    const { poolId: other } = await createPoolWithClient(server.client, { PoolName: 'gone' });
    await server.client.send(new CreateUserPoolReplicaCommand({ UserPoolId: other, RegionName: 'us-west-2' }));
    await server.client.send(new DeleteUserPoolCommand({ UserPoolId: other }));
    const { poolId: again } = await createPoolWithClient(server.client, { PoolName: 'fresh' });
    assert.deepEqual((await list(again))?.map((r) => r.Role), ['PRIMARY']);
    await expectAwsError(() => list(other), 'ResourceNotFoundException', `User pool ${other} does not exist.`);
  });
});
