import type { AuthEventRecord } from '../../domain/security/auth-event.js';
import type { RiskConfigurationRecord } from '../../domain/security/risk-configuration.js';
import type { ThreatProtectionPort } from '../../ports/threat-protection.js';
import type { AuthEventsTable, RiskConfigurationsTable } from '../schema.js';
import { KyselyContext } from './context.js';

/** The pool's own configuration is kept under this client id (a client id is never empty). */
const POOL_LEVEL = '';

export class KyselyThreatProtection extends KyselyContext implements ThreatProtectionPort {
  async insertAuthEvent(event: AuthEventRecord): Promise<void> {
    await this.db.insertInto('auth_events').values(authEventRow(event)).execute();
  }

  async updateAuthEvent(event: AuthEventRecord): Promise<void> {
    const { event_id: _id, pool_id: _pool, user_sub: _sub, ...rest } = authEventRow(event);
    await this.db.updateTable('auth_events').set(rest).where('event_id', '=', event.eventId).where('pool_id', '=', event.poolId).execute();
  }

  async getAuthEvent(poolId: string, userSub: string, eventId: string): Promise<AuthEventRecord | undefined> {
    const row = await this.db
      .selectFrom('auth_events')
      .selectAll()
      .where('event_id', '=', eventId)
      .where('pool_id', '=', poolId)
      .where('user_sub', '=', userSub)
      .executeTakeFirst();
    return row && authEventFromRow(row);
  }

  async listAuthEvents(poolId: string, userSub: string, limit: number, before?: { createdAt: number; eventId: string }): Promise<AuthEventRecord[]> {
    let q = this.db
      .selectFrom('auth_events')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('user_sub', '=', userSub)
      .orderBy('created_at', 'desc')
      .orderBy('event_id', 'desc')
      .limit(limit);
    if (before) {
      q = q.where((eb) =>
        eb.or([eb('created_at', '<', before.createdAt), eb.and([eb('created_at', '=', before.createdAt), eb('event_id', '<', before.eventId)])]),
      );
    }
    return (await q.execute()).map(authEventFromRow);
  }

  async getRiskConfiguration(poolId: string, clientId: string | null): Promise<RiskConfigurationRecord | undefined> {
    const row = await this.db
      .selectFrom('risk_configurations')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('client_id', '=', clientId ?? POOL_LEVEL)
      .executeTakeFirst();
    return row && riskFromRow(row);
  }

  async effectiveRiskConfiguration(poolId: string, clientId: string): Promise<RiskConfigurationRecord | undefined> {
    const rows = await this.db
      .selectFrom('risk_configurations')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('client_id', 'in', [clientId, POOL_LEVEL])
      .execute();
    const row = rows.find((r) => r.client_id === clientId) ?? rows[0];
    return row && riskFromRow(row);
  }

  async putRiskConfiguration(record: RiskConfigurationRecord): Promise<void> {
    const row = {
      pool_id: record.poolId,
      client_id: record.clientId ?? POOL_LEVEL,
      configuration: JSON.stringify({
        compromisedCredentials: record.compromisedCredentials,
        accountTakeover: record.accountTakeover,
        riskExceptions: record.riskExceptions,
      }),
      updated_at: record.updatedAt,
    };
    await this.db
      .insertInto('risk_configurations')
      .values(row)
      .onConflict((oc) => oc.columns(['pool_id', 'client_id']).doUpdateSet({ configuration: row.configuration, updated_at: row.updated_at }))
      .execute();
  }

  async deleteRiskConfiguration(poolId: string, clientId: string | null): Promise<void> {
    await this.db.deleteFrom('risk_configurations').where('pool_id', '=', poolId).where('client_id', '=', clientId ?? POOL_LEVEL).execute();
  }
}

function authEventRow(e: AuthEventRecord): AuthEventsTable {
  return {
    event_id: e.eventId,
    pool_id: e.poolId,
    user_sub: e.userSub,
    event_type: e.eventType,
    created_at: e.createdAt,
    response: e.response,
    risk: JSON.stringify(e.risk),
    challenges: JSON.stringify(e.challenges),
    context: JSON.stringify(e.context),
    feedback: e.feedback === undefined ? null : JSON.stringify(e.feedback),
  };
}

function authEventFromRow(row: AuthEventsTable): AuthEventRecord {
  return {
    poolId: row.pool_id,
    userSub: row.user_sub,
    eventId: row.event_id,
    eventType: row.event_type as AuthEventRecord['eventType'],
    createdAt: Number(row.created_at),
    response: row.response as AuthEventRecord['response'],
    risk: JSON.parse(row.risk) as AuthEventRecord['risk'],
    challenges: JSON.parse(row.challenges) as AuthEventRecord['challenges'],
    context: JSON.parse(row.context) as AuthEventRecord['context'],
    ...(row.feedback !== null && { feedback: JSON.parse(row.feedback) as NonNullable<AuthEventRecord['feedback']> }),
  };
}

function riskFromRow(row: RiskConfigurationsTable): RiskConfigurationRecord {
  const config = JSON.parse(row.configuration) as Pick<RiskConfigurationRecord, 'compromisedCredentials' | 'accountTakeover' | 'riskExceptions'>;
  return {
    poolId: row.pool_id,
    clientId: row.client_id === POOL_LEVEL ? null : row.client_id,
    ...(config.compromisedCredentials !== undefined && { compromisedCredentials: config.compromisedCredentials }),
    ...(config.accountTakeover !== undefined && { accountTakeover: config.accountTakeover }),
    ...(config.riskExceptions !== undefined && { riskExceptions: config.riskExceptions }),
    updatedAt: Number(row.updated_at),
  };
}
