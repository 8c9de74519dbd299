/**
 * Page size of the group listings when Limit is omitted or 0 (QueryLimitType allows 0 to 60;
 * AWS documents no default, so the largest page is used, as ListUsers does here; unverified).
 */
export const MAX_GROUP_PAGE = 60;

export function pageLimit(limit: number | undefined): number {
  return limit === undefined || limit === 0 ? MAX_GROUP_PAGE : limit;
}
