/**
 * Replicas of a user pool in other regions (CreateUserPoolReplica and friends). A replica is a
 * record: its region, status and role. Statuses and roles are the model's
 * (ReplicaStatusType, ReplicaRoleType); AWS: CREATING while it is made, INACTIVE "not
 * accepting requests for end-users", ACTIVE "available for both end-user and administrator
 * operations", DELETING while it goes
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolReplicaType.html).
 */
export type ReplicaStatus = 'CREATING' | 'ACTIVE' | 'INACTIVE' | 'DELETING';

export interface ReplicaRecord {
  poolId: string;
  regionName: string;
  status: ReplicaStatus;
  tags: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

/** Region names as `--region` accepts them (us-east-1, eu-central-2, ...). */
export function isRegionName(name: string): boolean {
  return /^[a-z]{2}(-[a-z]+)+-\d+$/.test(name);
}
