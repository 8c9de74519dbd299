import { html, type RouteResponse } from '../route.js';

/**
 * The managed login pages: plain server-rendered HTML forms, no script, every field labelled.
 * Nothing the page shows is trusted: all text goes through `escape`.
 */
const HEADERS = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
} as const;

export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const STYLE = 'body{font-family:system-ui,sans-serif;max-width:24rem;margin:3rem auto;padding:0 1rem}label{display:block;margin-top:1rem}input{display:block;width:100%;padding:.4rem;box-sizing:border-box}button{margin-top:1.2rem;padding:.5rem 1rem}.error{color:#a00}input[type=radio],input[type=checkbox]{display:inline;width:auto;margin-right:.4rem}fieldset{margin-top:1rem}a,code{overflow-wrap:anywhere}:focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}';

/**
 * `css` is the client's or pool's SetUICustomization CSS, already made safe inside <style>
 * (features/branding pageCss); the elements carry the classic hosted UI's class names it styles.
 */
export function page(title: string, body: string, status = 200, setCookies: string[] = [], css = ''): RouteResponse {
  const markup = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title><style>${STYLE}</style>${css && `<style>${css}</style>`}</head><body class="background-customizable"><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
  return html(markup, status, { ...HEADERS, ...(setCookies.length > 0 && { 'Set-Cookie': setCookies }) });
}

export interface Field {
  name: string;
  label: string;
  type: 'text' | 'email' | 'password' | 'hidden';
  autocomplete?: string;
  value?: string;
  /** Not required to submit the form. */
  optional?: boolean;
}

/**
 * A form posting to `action` (a relative URL that keeps the authorize query), with its CSRF token.
 * `extra` is markup placed after the fields (already escaped by its maker: radio groups, checkboxes).
 */
export function form(action: string, csrf: string, fields: readonly Field[], submit: string, error?: string, extra = ''): string {
  const inputs = fields
    .map((f) =>
      f.type === 'hidden'
        ? `<input type="hidden" name="${escape(f.name)}" value="${escape(f.value ?? '')}">`
        : `<label for="${escape(f.name)}">${escape(f.label)}<input id="${escape(f.name)}" name="${escape(f.name)}" type="${f.type}"${f.optional ? '' : ' required'}${f.autocomplete ? ` autocomplete="${f.autocomplete}"` : ''}${f.value !== undefined ? ` value="${escape(f.value)}"` : ''}></label>`,
    )
    .join('');
  const alert = error === undefined ? '' : `<p class="error errorMessage-customizable" role="alert">${escape(error)}</p>`;
  return `${alert}<form method="post" action="${escape(action)}"><input type="hidden" name="_csrf" value="${escape(csrf)}">${inputs}${extra}<button class="submitButton-customizable" type="submit">${escape(submit)}</button></form>`;
}

export function errorPage(message: string, status = 400): RouteResponse {
  return page('Something went wrong', `<p class="error" role="alert">${escape(message)}</p>`, status);
}
