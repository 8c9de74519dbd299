/** A page of a listing: at most `limit` items after `after` in the listing's order. */
export interface Page {
  limit: number;
  /** Exclusive lower bound in the listing's order (an id, or a username key). */
  after?: string | undefined;
}
