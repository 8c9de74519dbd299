/** A one-time code, kept as a keyed hash: one per user and purpose. */
export interface CodeRecord {
  userSub: string;
  purpose: string;
  poolId: string;
  codeHash: string;
  expiresAt: number;
  createdAt: number;
}

export interface CodesPort {
  putCode(code: CodeRecord): Promise<void>;
  getCode(userSub: string, purpose: string): Promise<CodeRecord | undefined>;
  /** Deletes the code only if it still has this hash; true when this call consumed it. */
  consumeCode(userSub: string, purpose: string, codeHash: string): Promise<boolean>;
  deleteCodes(userSub: string): Promise<void>;
}
