import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RouteResponse } from '../routes/route.js';

/**
 * The console's static files: one page, one script, one style sheet, with no build step of
 * their own. They sit beside this module, in src/http/console/assets/ (run through tsx) and in
 * dist/http/console/assets/ (copied there by `npm run build`), so one relative URL finds them.
 */
const ASSET_DIR = new URL('./assets/', import.meta.url);

export const ASSETS = {
  'index.html': 'text/html; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
} as const;

export type AssetName = keyof typeof ASSETS;

/**
 * What the browser may do with the page: scripts, styles and requests only from this origin (so
 * a user attribute that holds markup can never run), no framing (clickjacking of the buttons).
 */
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  // Small files, changed with each release: always revalidated, never stale after an upgrade.
  'Cache-Control': 'no-cache',
};

/** Each asset as a ready answer; read once. A missing file (an incomplete build) answers 500 saying so. */
export function loadAssets(): Record<AssetName, RouteResponse> {
  const out = {} as Record<AssetName, RouteResponse>;
  for (const [name, contentType] of Object.entries(ASSETS) as [AssetName, string][]) {
    const url = new URL(name, ASSET_DIR);
    try {
      out[name] = { status: 200, contentType, body: readFileSync(url), headers: SECURITY_HEADERS };
    } catch {
      out[name] = {
        status: 500,
        contentType: 'text/plain; charset=utf-8',
        body: `The console file ${fileURLToPath(url)} is missing: the package was built without its assets (npm run build copies them).`,
      };
    }
  }
  return out;
}
