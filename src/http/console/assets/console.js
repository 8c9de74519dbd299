// userpoold console: one page, no framework. Every pool, client and user action is a call to
// the user-pool API at POST / (AWS JSON 1.1), signed here with SigV4 when the server has
// developer credentials, so the page can do nothing its key may not. Everything shown is
// written with textContent (never as markup): user attributes are untrusted.
/* global document, window, location, fetch, crypto, sessionStorage, confirm, TextEncoder, URLSearchParams, FormData, Node */
'use strict';

const TARGET = 'AWSCognitoIdentityProviderService.';
const KEY_ITEM = 'userpoold.console.key';
const state = { config: null, skewMs: 0, renderId: 0, flash: null };

class ConsoleError extends Error {
  constructor(name, message) {
    super(message);
    this.name = name;
  }
}

// ---- DOM ---------------------------------------------------------------------------------

function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

const heading = (text) => h('h1', { tabindex: '-1' }, text);
const dash = (v) => (v === undefined || v === null || v === '' ? '—' : String(v));
const when = (v) => {
  if (typeof v === 'number') return new Date(v * 1000).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
  if (typeof v === 'string') return v.replace('T', ' ').slice(0, 19) + ' UTC';
  return '—';
};

function table(caption, columns, rows) {
  if (rows.length === 0) return h('p', { class: 'muted' }, `${caption}: none.`);
  return h(
    'table',
    {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((c) => h('td', {}, c instanceof Node ? c : dash(c)))))),
  );
}

/** A labelled input: the label wraps it, so clicking the text focuses the field. */
function field(label, props, hint) {
  const id = props.id || `f-${label.toLowerCase().replace(/\W+/g, '-')}`;
  const input = h('input', { type: 'text', ...props, id, 'aria-describedby': hint ? `${id}-hint` : undefined });
  return [h('label', { for: id }, label, input), hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null];
}

function errorBox(err) {
  const name = err && err.name ? err.name : 'Error';
  const message = err && err.message ? err.message : String(err);
  const box = h('div', { class: 'error', role: 'alert' }, h('strong', {}, name), ': ', message);
  if (/AccessDenied|UnrecognizedClient|InvalidSignature|MissingAuthenticationToken|IncompleteSignature/.test(name) && state.config && state.config.credentials) {
    box.append(' ', h('a', { href: '#/key' }, 'Use another key'));
  }
  return box;
}

/** An error outside any view (a script fault): shown in the page's alert region, never swallowed. */
function showAlert(err) {
  const name = err && err.name ? err.name : 'Error';
  const message = err && err.message ? err.message : String(err);
  document.getElementById('alert').replaceChildren(h('div', { class: 'error' }, h('strong', {}, name), ': ', message));
}

// ---- SigV4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html) ----

const utf8 = new TextEncoder();
const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
const sha256 = async (text) => hex(await crypto.subtle.digest('SHA-256', utf8.encode(text)));
async function hmac(key, text) {
  const raw = typeof key === 'string' ? utf8.encode(key) : key;
  const k = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, utf8.encode(text)));
}
// RFC 3986 unreserved characters stay; encodeURIComponent leaves !'()* which SigV4 encodes.
const uriEncode = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
const byKeyThenValue = (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);

/** The headers to send: `headers` plus X-Amz-Date and Authorization (Host is the browser's). */
async function sign(method, path, query, headers, body, key) {
  const region = state.config.region;
  const amzDate = new Date(Date.now() + state.skewMs).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
  const day = amzDate.slice(0, 8);
  const all = {};
  for (const [name, value] of Object.entries({ ...headers, host: location.host, 'x-amz-date': amzDate })) {
    all[name.toLowerCase()] = String(value).trim().replace(/\s+/g, ' ');
  }
  const names = Object.keys(all).sort();
  const signedHeaders = names.join(';');
  const canonicalQuery = [...query]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)])
    .sort(byKeyThenValue)
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalPath = path.split('/').map((s) => uriEncode(s)).join('/');
  const canonicalRequest = [method, canonicalPath, canonicalQuery, names.map((n) => `${n}:${all[n]}\n`).join(''), signedHeaders, await sha256(body)].join('\n');
  const scope = `${day}/${region}/cognito-idp/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, await sha256(canonicalRequest)].join('\n');
  let signingKey = await hmac(`AWS4${key.secret}`, day);
  for (const part of [region, 'cognito-idp', 'aws4_request']) signingKey = await hmac(signingKey, part);
  const signature = hex(await hmac(signingKey, stringToSign));
  return {
    ...headers,
    'X-Amz-Date': amzDate,
    Authorization: `AWS4-HMAC-SHA256 Credential=${key.id}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

// ---- Calls ---------------------------------------------------------------------------------

function storedKey() {
  try {
    const key = JSON.parse(sessionStorage.getItem(KEY_ITEM) || 'null');
    return key && typeof key.id === 'string' && typeof key.secret === 'string' ? key : null;
  } catch {
    return null;
  }
}

function requireKey() {
  const key = storedKey();
  if (!key) throw new ConsoleError('MissingAuthenticationTokenException', 'This server requires developer credentials: enter an access key first.');
  return key;
}

async function answer(res) {
  const text = await res.text();
  let data;
  try {
    data = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new ConsoleError(`HTTP ${res.status}`, `The server answered with something that is not JSON: ${text.slice(0, 200)}`);
  }
  if (!res.ok) {
    const type = String(data.__type || res.headers.get('x-amzn-ErrorType') || `HTTP ${res.status}`);
    throw new ConsoleError(type.split('#').pop().split(':')[0], data.message || data.Message || '(no message)');
  }
  return data;
}

/** One API operation, exactly as an SDK would send it. */
async function api(operation, input) {
  const body = JSON.stringify(input);
  let headers = { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': TARGET + operation };
  if (state.config.credentials) headers = await sign('POST', '/', new URLSearchParams(), headers, body, requireKey());
  return answer(await fetch('/', { method: 'POST', headers, body, cache: 'no-store' }));
}

/** The console's read-only views (outbox, audit): signed as the action ListUsers. */
async function consoleData(view, params) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) query.set(k, v);
  const path = `/_console/api/${view}`;
  let headers = {};
  if (state.config.credentials) headers = await sign('GET', path, query, { 'X-Amz-Target': TARGET + 'ListUsers' }, '', requireKey());
  const qs = query.toString();
  return answer(await fetch(qs ? `${path}?${qs}` : path, { headers, cache: 'no-store' }));
}

// ---- Routing -------------------------------------------------------------------------------

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  let segments;
  try {
    segments = path.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  } catch {
    throw new ConsoleError('BadAddress', `The address "#${raw.slice(0, 200)}" is not valid (malformed percent-encoding). Go back to the pools.`);
  }
  return { segments, params: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}

function link(segments, params) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v) query.set(k, v);
  const qs = query.toString();
  return '#/' + segments.map(encodeURIComponent).join('/') + (qs ? `?${qs}` : '');
}

function go(segments, params, flash) {
  state.flash = flash || null;
  const target = link(segments, params);
  if (location.hash === target) render();
  else location.hash = target;
}

/** The header link of the section a view belongs to (marked aria-current). */
function sectionOf(segments) {
  if (state.config.credentials && !storedKey()) return '#/key';
  return ['outbox', 'audit', 'key'].includes(segments[0]) ? `#/${segments[0]}` : '#/pools';
}

function viewFor({ segments, params }) {
  const [first, id, sub, name] = segments;
  if (state.config.credentials && !storedKey() && first !== 'key') return () => keyView(true);
  if (first === undefined || (first === 'pools' && id === undefined)) return () => poolsView(params);
  if (first === 'pools' && segments.length === 2) return () => usersView(id, params);
  if (first === 'pools' && sub === 'clients' && segments.length === 3) return () => clientsView(id);
  if (first === 'pools' && sub === 'settings' && segments.length === 3) return () => settingsView(id);
  if (first === 'pools' && sub === 'users' && segments.length === 4) return () => userView(id, name);
  if (first === 'outbox' && segments.length === 1) return () => outboxView(params);
  if (first === 'audit' && segments.length === 1) return () => auditView(params);
  if (first === 'key' && segments.length === 1) return () => keyView(false);
  return () => {
    throw new ConsoleError('NotFound', `The console has no page at "${location.hash.slice(0, 200)}".`);
  };
}

async function render() {
  const id = ++state.renderId;
  const main = document.getElementById('main');
  document.getElementById('alert').replaceChildren();
  const flash = state.flash;
  state.flash = null;
  main.setAttribute('aria-busy', 'true');
  // The previous page goes at once: its buttons must not be pressed while the next one loads.
  main.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  let content;
  let section = '#/pools';
  try {
    const where = parseHash();
    section = sectionOf(where.segments);
    content = await viewFor(where)();
  } catch (err) {
    content = [heading('This page could not be shown'), errorBox(err), h('p', {}, h('a', { href: '#/pools' }, 'Back to the pools'))];
  }
  if (id !== state.renderId) return; // a later navigation won
  main.replaceChildren(...content.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  main.removeAttribute('aria-busy');
  const h1 = main.querySelector('h1');
  document.title = `${h1 ? h1.textContent : 'userpoold'} · userpoold console`;
  for (const a of document.querySelectorAll('header nav a')) {
    if (a.getAttribute('href') === section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (flash) {
    const box = h('div', { class: flash.error ? 'error' : 'flash', role: flash.error ? 'alert' : 'status', tabindex: '-1', id: 'flash' }, flash.content);
    (h1 || main.firstChild).after(box);
    box.focus();
  } else (h1 || main).focus();
}

/** Runs an action from a button or form: disabled while it runs; its error is shown, never lost. */
async function act(control, fn) {
  control.disabled = true;
  try {
    await fn();
  } catch (err) {
    state.flash = { error: true, content: [h('strong', {}, err.name || 'Error'), ': ', err.message || String(err)] };
    render();
  } finally {
    control.disabled = false;
  }
}

function submitter(handler) {
  return (event) => {
    event.preventDefault();
    const button = event.target.querySelector('button[type="submit"]') || event.target;
    act(button, () => handler(new FormData(event.target)));
  };
}

// ---- Views ---------------------------------------------------------------------------------

function keyView(required) {
  const key = storedKey();
  return [
    heading('Developer key'),
    required ? h('p', { class: 'flash', role: 'status' }, 'This server requires developer credentials: enter an access key to use the console.') : null,
    h(
      'p',
      {},
      'The console signs every call with this key (SigV4), so it can do only what the key’s policy allows. The key is kept in this tab’s session storage and is forgotten when the tab closes.',
    ),
    key ? h('p', {}, 'Current key: ', h('code', {}, key.id)) : null,
    h(
      'form',
      {
        onsubmit: submitter(async (data) => {
          const id = String(data.get('accessKeyId') || '').trim();
          const secret = String(data.get('secretAccessKey') || '');
          if (!id || !secret) throw new ConsoleError('InvalidParameter', 'Both the access key id and the secret access key are needed.');
          sessionStorage.setItem(KEY_ITEM, JSON.stringify({ id, secret }));
          go(['pools'], {}, { content: `Key ${id} in use.` });
        }),
      },
      field('Access key id', { name: 'accessKeyId', autocomplete: 'off', required: true, spellcheck: 'false' }),
      field('Secret access key', { name: 'secretAccessKey', type: 'password', autocomplete: 'off', required: true }),
      h('button', { type: 'submit' }, 'Use this key'),
    ),
    key
      ? h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onclick: () => {
              sessionStorage.removeItem(KEY_ITEM);
              go(['key'], {}, { content: 'Key forgotten.' });
            },
          },
          'Forget the key',
        )
      : null,
  ];
}

async function poolsView(params) {
  const token = params.get('token');
  const out = await api('ListUserPools', { MaxResults: 60, ...(token && { NextToken: token }) });
  const pools = out.UserPools || [];
  return [
    heading('User pools'),
    table(
      `${pools.length} pool${pools.length === 1 ? '' : 's'}${token ? ' (later page)' : ''}`,
      ['Name', 'Id', 'Created'],
      pools.map((p) => [h('a', { href: link(['pools', p.Id]) }, p.Name), h('code', {}, p.Id), when(p.CreationDate)]),
    ),
    out.NextToken ? h('p', {}, h('a', { href: link(['pools'], { token: out.NextToken }) }, 'Next page')) : null,
    h('h2', {}, 'Create a pool'),
    h(
      'form',
      {
        onsubmit: submitter(async (data) => {
          const input = { PoolName: String(data.get('poolName') || '') };
          if (data.get('verifyEmail')) input.AutoVerifiedAttributes = ['email'];
          const created = await api('CreateUserPool', input);
          go(['pools', created.UserPool.Id], {}, { content: `Pool ${created.UserPool.Name} created.` });
        }),
      },
      field('Pool name', { name: 'poolName', required: true, maxlength: '128' }),
      h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'verifyEmail', checked: true }), ' Verify email addresses'),
      h('button', { type: 'submit' }, 'Create pool'),
    ),
  ];
}

/** The frame of every pool page: its name, id and tabs. Missing pools fail here, with AWS's error. */
async function poolFrame(poolId, tab) {
  const { UserPool: pool } = await api('DescribeUserPool', { UserPoolId: poolId });
  const tabs = [
    ['users', 'Users', link(['pools', poolId])],
    ['clients', 'App clients', link(['pools', poolId, 'clients'])],
    ['settings', 'Settings', link(['pools', poolId, 'settings'])],
    ['outbox', 'Outbox', link(['outbox'], { pool: poolId })],
    ['audit', 'Audit log', link(['audit'], { pool: poolId })],
  ];
  return {
    pool,
    nodes: [
      h('p', { class: 'muted' }, h('a', { href: '#/pools' }, 'Pools'), ' / ', pool.Name),
      heading(`Pool ${pool.Name}`),
      h('p', {}, 'Id: ', h('code', {}, pool.Id)),
      h('nav', { 'aria-label': 'Pool' }, h('ul', { class: 'tabs' }, tabs.map(([k, label, href]) => h('li', {}, h('a', { href, 'aria-current': k === tab ? 'page' : undefined }, label))))),
    ],
  };
}

async function usersView(poolId, params) {
  const { pool, nodes } = await poolFrame(poolId, 'users');
  const filter = params.get('filter') || '';
  const token = params.get('token');
  const out = await api('ListUsers', { UserPoolId: poolId, Limit: 20, ...(filter && { Filter: filter }), ...(token && { PaginationToken: token }) });
  const users = out.Users || [];
  const attr = (u, name) => ((u.Attributes || []).find((a) => a.Name === name) || {}).Value;
  return [
    ...nodes,
    h('h2', {}, 'Users'),
    h(
      'form',
      {
        role: 'search',
        onsubmit: (event) => {
          event.preventDefault();
          go(['pools', poolId], { filter: new FormData(event.target).get('filter') });
        },
      },
      field('Filter', { name: 'filter', value: filter, id: 'user-filter', spellcheck: 'false' }, 'ListUsers filter syntax, e.g. email ^= "ann", username = "bob", cognito:user_status = "RESET_REQUIRED", status = "Disabled". Empty lists everyone.'),
      h('button', { type: 'submit' }, 'Search'),
    ),
    table(
      `${users.length} user${users.length === 1 ? '' : 's'} of ${pool.Name}${filter ? ` matching ${filter}` : ''}`,
      ['Username', 'Email', 'Status', 'Enabled', 'Created'],
      users.map((u) => [h('a', { href: link(['pools', poolId, 'users', u.Username]) }, u.Username), attr(u, 'email'), u.UserStatus, u.Enabled ? 'yes' : 'no', when(u.UserCreateDate)]),
    ),
    out.PaginationToken ? h('p', {}, h('a', { href: link(['pools', poolId], { filter, token: out.PaginationToken }) }, 'Next page')) : null,
  ];
}

async function clientsView(poolId) {
  const { nodes } = await poolFrame(poolId, 'clients');
  const out = await api('ListUserPoolClients', { UserPoolId: poolId, MaxResults: 60 });
  const clients = out.UserPoolClients || [];
  return [
    ...nodes,
    h('h2', {}, 'App clients'),
    table(`${clients.length} app client${clients.length === 1 ? '' : 's'}`, ['Name', 'Client id'], clients.map((c) => [c.ClientName, h('code', {}, c.ClientId)])),
    h('h2', {}, 'Create an app client'),
    h(
      'form',
      {
        onsubmit: submitter(async (data) => {
          const input = { UserPoolId: poolId, ClientName: String(data.get('clientName') || ''), GenerateSecret: Boolean(data.get('generateSecret')) };
          const made = (await api('CreateUserPoolClient', input)).UserPoolClient;
          const content = [`App client ${made.ClientName} created: id `, h('code', {}, made.ClientId), '.'];
          if (made.ClientSecret) content.push(h('br'), 'Client secret (shown only now, copy it): ', h('span', { class: 'secret', id: 'client-secret' }, made.ClientSecret));
          go(['pools', poolId, 'clients'], {}, { content });
        }),
      },
      field('Client name', { name: 'clientName', required: true, maxlength: '128' }),
      h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'generateSecret' }), ' Generate a client secret'),
      h('button', { type: 'submit' }, 'Create app client'),
    ),
  ];
}

async function settingsView(poolId) {
  const { pool, nodes } = await poolFrame(poolId, 'settings');
  return [
    ...nodes,
    h('h2', {}, 'Settings (DescribeUserPool)'),
    h('pre', { tabindex: '0', 'aria-label': 'Pool settings as JSON' }, JSON.stringify(pool, null, 2)),
    h('h2', {}, 'Delete the pool'),
    h(
      'button',
      {
        type: 'button',
        class: 'danger',
        onclick: (event) =>
          act(event.currentTarget, async () => {
            if (!confirm(`Delete pool ${pool.Name} (${poolId}) with all its users and app clients?`)) return;
            await api('DeleteUserPool', { UserPoolId: poolId });
            go(['pools'], {}, { content: `Pool ${pool.Name} deleted.` });
          }),
      },
      'Delete pool',
    ),
  ];
}

async function userView(poolId, username) {
  const { nodes } = await poolFrame(poolId, 'users');
  const user = await api('AdminGetUser', { UserPoolId: poolId, Username: username });
  let groups;
  try {
    groups = ((await api('AdminListGroupsForUser', { UserPoolId: poolId, Username: username, Limit: 60 })).Groups || []).map((g) => g.GroupName).join(', ') || 'none';
  } catch (err) {
    groups = `could not be read (${err.name}: ${err.message})`;
  }
  const ids = { UserPoolId: poolId, Username: username };
  const again = (content) => go(['pools', poolId, 'users', username], {}, { content });
  const button = (label, operation, done, cls) =>
    h('button', { type: 'button', class: cls, onclick: (event) => act(event.currentTarget, async () => done(await api(operation, ids))) }, label);
  return [
    ...nodes,
    h('h2', {}, `User ${user.Username}`),
    h(
      'dl',
      {},
      h('dt', {}, 'Status'),
      h('dd', { id: 'user-status' }, user.UserStatus),
      h('dt', {}, 'Enabled'),
      h('dd', { id: 'user-enabled' }, user.Enabled ? 'yes' : 'no'),
      h('dt', {}, 'Created'),
      h('dd', {}, when(user.UserCreateDate)),
      h('dt', {}, 'Last modified'),
      h('dd', {}, when(user.UserLastModifiedDate)),
      h('dt', {}, 'Groups'),
      h('dd', { id: 'user-groups' }, groups),
      h('dt', {}, 'MFA'),
      h('dd', {}, (user.UserMFASettingList || []).join(', ') || 'none'),
    ),
    table('Attributes', ['Name', 'Value'], (user.UserAttributes || []).map((a) => [a.Name, a.Value])),
    h('p', {}, h('a', { href: link(['outbox'], { pool: poolId, user: user.Username }) }, 'Messages to this user')),
    h('h2', {}, 'Actions'),
    h(
      'div',
      { class: 'actions' },
      button('Reset password', 'AdminResetUserPassword', async () => {
        const content = [`Password reset for ${user.Username}: they must choose a new one with the code sent to them.`];
        try {
          const sent = (await consoleData('messages', { pool: poolId, user: user.Username, limit: '1' })).messages || [];
          const m = sent[sent.length - 1];
          if (m) {
            content.push(h('br'), `Message: ${m.trigger} by ${m.channel} to ${m.destination}, ${m.state}.`);
            if (m.code) content.push(' Code (development mode): ', h('span', { class: 'secret' }, m.code));
          } else content.push(h('br'), 'No message was queued (the user has no verified email or phone number).');
        } catch (err) {
          content.push(h('br'), `The message could not be read: ${err.name}: ${err.message}`);
        }
        again(content);
      }),
      user.Enabled
        ? button('Disable user', 'AdminDisableUser', () => again(`${user.Username} is disabled.`), 'secondary')
        : button('Enable user', 'AdminEnableUser', () => again(`${user.Username} is enabled.`), 'secondary'),
      button('Sign out everywhere', 'AdminUserGlobalSignOut', () => again(`${user.Username} is signed out everywhere: their refresh tokens are revoked.`), 'secondary'),
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          onclick: (event) =>
            act(event.currentTarget, async () => {
              if (!confirm(`Delete user ${user.Username}?`)) return;
              await api('AdminDeleteUser', ids);
              go(['pools', poolId], {}, { content: `User ${user.Username} deleted.` });
            }),
        },
        'Delete user',
      ),
    ),
    h('h2', {}, 'Set a password'),
    h(
      'form',
      {
        onsubmit: submitter(async (data) => {
          const permanent = Boolean(data.get('permanent'));
          await api('AdminSetUserPassword', { ...ids, Password: String(data.get('password') || ''), Permanent: permanent });
          again(`Password set for ${user.Username} (${permanent ? 'permanent' : 'temporary: they must change it at next sign-in'}).`);
        }),
      },
      field('New password', { name: 'password', type: 'password', autocomplete: 'new-password', required: true }),
      h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'permanent' }), ' Permanent'),
      h('button', { type: 'submit' }, 'Set password'),
    ),
  ];
}

function filterForm(segments, params, names) {
  return h(
    'form',
    {
      onsubmit: (event) => {
        event.preventDefault();
        const data = new FormData(event.target);
        go(segments, Object.fromEntries(names.map(([name]) => [name, String(data.get(name) || '').trim()])));
      },
    },
    names.map(([name, label]) => field(label, { name, value: params.get(name) || '', id: `filter-${name}`, spellcheck: 'false' })),
    h('button', { type: 'submit' }, 'Apply'),
  );
}

async function outboxView(params) {
  const filters = { pool: params.get('pool'), user: params.get('user'), limit: params.get('limit') };
  const form = filterForm(['outbox'], params, [['pool', 'Pool id'], ['user', 'Username']]);
  const out = await consoleData('messages', filters);
  const messages = (out.messages || []).slice().reverse();
  const columns = ['Time', 'Pool', 'User', 'Trigger', 'Channel', 'Destination', 'State', 'Attempts', 'Last error'];
  if (out.codes) columns.push('Code');
  return [
    heading('Outbox'),
    h('p', {}, 'Every message userpoold queued, newest first, with its delivery state. ', out.codes ? 'Development mode: codes are shown.' : 'Codes are not shown (only in development mode: open mode with --dev-messages).'),
    form,
    table(
      `${messages.length} message${messages.length === 1 ? '' : 's'}`,
      columns,
      messages.map((m) => {
        const row = [when(m.time), h('a', { href: link(['pools', m.pool]) }, m.pool), h('a', { href: link(['pools', m.pool, 'users', m.username]) }, m.username), m.trigger, m.channel, m.destination, m.state, m.attempts, m.lastError];
        if (out.codes) row.push(m.code);
        return row;
      }),
    ),
  ];
}

async function auditView(params) {
  const filters = { pool: params.get('pool'), operation: params.get('operation'), limit: params.get('limit') };
  const form = filterForm(['audit'], params, [['pool', 'Pool id'], ['operation', 'Operation']]);
  const out = await consoleData('audit', filters);
  const entries = (out.entries || []).slice().reverse();
  return [
    heading('Audit log'),
    h('p', {}, 'Who called what, on which pool and user, and how it ended; newest first.'),
    form,
    table(
      `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}`,
      ['Time', 'Operation', 'Outcome', 'Pool', 'User', 'Principal', 'Source'],
      entries.map((e) => [when(e.time), e.operation, `${e.outcome} (${e.status})${e.durationMs === undefined ? '' : `, ${e.durationMs} ms`}`, e.pool, e.username, e.principal, e.sourceIp]),
    ),
  ];
}

// ---- Start ---------------------------------------------------------------------------------

window.addEventListener('error', (event) => showAlert(event.error || new ConsoleError('Error', event.message)));
window.addEventListener('unhandledrejection', (event) => showAlert(event.reason));
window.addEventListener('hashchange', () => render());

(async () => {
  try {
    const sent = Date.now();
    state.config = await answer(await fetch('/_console/config.json', { cache: 'no-store' }));
    // Sign with the server's clock (as SDKs correct clock skew), half the round trip included.
    state.skewMs = state.config.serverTime - Math.round((sent + Date.now()) / 2);
    document.getElementById('key-nav').hidden = !state.config.credentials;
  } catch (err) {
    document.getElementById('main').replaceChildren(heading('The console could not start'), errorBox(err));
    return;
  }
  render();
})();
