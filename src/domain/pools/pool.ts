/** JSON object settings as the API shapes them; storage keeps them opaque. */
export type JsonObject = Record<string, unknown>;

/** A user pool: its id, name and settings (the API's shapes, read through `settingsOf`). */
export interface PoolRecord {
  id: string;
  name: string;
  settings: JsonObject;
  createdAt: number;
  updatedAt: number;
}
