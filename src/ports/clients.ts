import type { ClientRecord } from '../domain/clients/client.js';
import type { Page } from './page.js';

export interface ClientsPort {
  insertClient(client: ClientRecord): Promise<void>;
  getClient(id: string): Promise<ClientRecord | undefined>;
  updateClient(client: ClientRecord): Promise<void>;
  deleteClient(id: string): Promise<void>;
  listClients(poolId: string, page: Page): Promise<ClientRecord[]>;
}
