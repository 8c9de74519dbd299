import type { Selectable } from 'kysely';
import type { DomainRecord } from '../../domain/oauth/domain.js';
import type { ResourceServerRecord } from '../../domain/oauth/resource-server.js';
import type { OAuthPort } from '../../ports/oauth.js';
import type { Page } from '../../ports/page.js';
import type { OAuthDomainsTable, ResourceServersTable } from '../schema.js';
import { KyselyContext } from './context.js';
import { unique } from './unique.js';

export class KyselyOAuth extends KyselyContext implements OAuthPort {
  async insertDomain(record: DomainRecord): Promise<void> {
    await unique(this.dialect, this.db, () => this.db.insertInto('oauth_domains').values(domainRow(record)).execute());
  }

  async getDomain(domain: string): Promise<DomainRecord | undefined> {
    const row = await this.db.selectFrom('oauth_domains').selectAll().where('domain', '=', domain).executeTakeFirst();
    return row && domainFromRow(row);
  }

  async domainsOfPool(poolId: string): Promise<DomainRecord[]> {
    const rows = await this.db.selectFrom('oauth_domains').selectAll().where('pool_id', '=', poolId).orderBy('domain').execute();
    return rows.map(domainFromRow);
  }

  async updateDomain(record: DomainRecord): Promise<void> {
    const { domain: _domain, pool_id: _pool, created_at: _created, ...changes } = domainRow(record);
    await this.db.updateTable('oauth_domains').set(changes).where('domain', '=', record.domain).execute();
  }

  async deleteDomain(domain: string): Promise<void> {
    await this.db.deleteFrom('oauth_domains').where('domain', '=', domain).execute();
  }

  async insertResourceServer(record: ResourceServerRecord): Promise<void> {
    await unique(this.dialect, this.db, () => this.db.insertInto('resource_servers').values(serverRow(record)).execute());
  }

  async getResourceServer(poolId: string, identifier: string): Promise<ResourceServerRecord | undefined> {
    const row = await this.db.selectFrom('resource_servers').selectAll().where('pool_id', '=', poolId).where('identifier', '=', identifier).executeTakeFirst();
    return row && serverFromRow(row);
  }

  async updateResourceServer(record: ResourceServerRecord): Promise<void> {
    const { pool_id: _pool, identifier: _id, created_at: _created, ...changes } = serverRow(record);
    await this.db.updateTable('resource_servers').set(changes).where('pool_id', '=', record.poolId).where('identifier', '=', record.identifier).execute();
  }

  async deleteResourceServer(poolId: string, identifier: string): Promise<void> {
    await this.db.deleteFrom('resource_servers').where('pool_id', '=', poolId).where('identifier', '=', identifier).execute();
  }

  async listResourceServers(poolId: string, page: Page): Promise<ResourceServerRecord[]> {
    let q = this.db.selectFrom('resource_servers').selectAll().where('pool_id', '=', poolId);
    if (page.after !== undefined) q = q.where('identifier', '>', page.after);
    return (await q.orderBy('identifier').limit(page.limit).execute()).map(serverFromRow);
  }

  async putGrantScopes(grant: { originJti: string; poolId: string; scopes: readonly string[]; expiresAt: number }, nowMs: number): Promise<void> {
    // As single_use does: what expired goes with the next write (by the expiry index), so the
    // table holds only live sign-ins without a sweep of its own.
    await this.db.deleteFrom('oauth_grants').where('expires_at', '<=', nowMs).execute();
    await this.db
      .insertInto('oauth_grants')
      .values({ origin_jti: grant.originJti, pool_id: grant.poolId, scopes: grant.scopes.join(' '), expires_at: grant.expiresAt })
      .onConflict((oc) => oc.column('origin_jti').doNothing())
      .execute();
  }

  async grantScopes(originJti: string): Promise<string[] | undefined> {
    const row = await this.db.selectFrom('oauth_grants').select('scopes').where('origin_jti', '=', originJti).executeTakeFirst();
    return row && (row.scopes === '' ? [] : row.scopes.split(' '));
  }
}

function domainRow(r: DomainRecord): OAuthDomainsTable {
  return {
    domain: r.domain,
    pool_id: r.poolId,
    kind: r.kind,
    certificate_arn: r.certificateArn,
    cloudfront_domain: r.cloudFrontDomain,
    managed_login_version: r.managedLoginVersion,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

function domainFromRow(row: Selectable<OAuthDomainsTable>): DomainRecord {
  return {
    domain: row.domain,
    poolId: row.pool_id,
    kind: row.kind === 'custom' ? 'custom' : 'prefix',
    certificateArn: row.certificate_arn,
    cloudFrontDomain: row.cloudfront_domain,
    managedLoginVersion: Number(row.managed_login_version),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function serverRow(r: ResourceServerRecord): ResourceServersTable {
  return {
    pool_id: r.poolId,
    identifier: r.identifier,
    name: r.name,
    scopes: JSON.stringify(r.scopes),
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

function serverFromRow(row: Selectable<ResourceServersTable>): ResourceServerRecord {
  return {
    poolId: row.pool_id,
    identifier: row.identifier,
    name: row.name,
    scopes: JSON.parse(row.scopes) as ResourceServerRecord['scopes'],
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
