// The hub's HTTP API. The access token lives in this module's memory only; the refresh token is an HttpOnly cookie
// the browser sends to /api/v1/auth/refresh alone, and that route wants the X-Hub-CSRF header as well.

let access = null;
let user = null;
let refreshing = null;
const CSRF = { 'X-Hub-CSRF': '1' };

/** An answer other than 2xx: its status and the hub's {"error": ...} text. */
export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function parse(r) {
  const text = await r.text();
  let body = {};
  try { body = text ? JSON.parse(text) : {}; } catch { body = { error: text }; }
  if (!r.ok) throw new ApiError(r.status, body.error || `HTTP ${r.status}`);
  return body;
}

function signedIn(body) {
  access = body.access_token;
  user = body.user || user;
  return user;
}

export function currentUser() { return user; }
export function accessToken() { return access; }

/** Signs in; the refresh token comes back as a cookie. Returns the user. */
export async function login(username, password) {
  const r = await fetch('/api/v1/auth/login', {
    method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', ...CSRF },
    body: JSON.stringify({ username, password, cookie: true }),
  });
  return signedIn(await parse(r));
}

/** A fresh access token through the cookie; false when there is no valid one (not signed in). */
export function refresh() {
  refreshing ??= (async () => {
    try {
      const r = await fetch('/api/v1/auth/refresh', {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', ...CSRF }, body: '{}',
      });
      if (!r.ok) return false;
      signedIn(await r.json());
      if (!user) user = await call('GET', '/api/v1/auth/me');
      return true;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

export async function logout() {
  try {
    await fetch('/api/v1/auth/refresh', { method: 'DELETE', credentials: 'same-origin', headers: CSRF });
  } finally {
    access = null;
    user = null;
  }
}

/** A call with the access token; a 401 refreshes it once and tries again. */
export async function call(method, path, body) {
  const send = () => fetch(path, {
    method,
    headers: { Authorization: `Bearer ${access}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let r = await send();
  if (r.status === 401 && await refresh()) r = await send();
  if (r.status === 204) return {};
  return parse(r);
}

/**
 * Reads a server-sent event stream with the access token (EventSource cannot send one); onEvent(type, data) for each
 * event. Returns a function that stops it. Reconnects after a pause when the stream ends.
 */
export function stream(path, onEvent, onState) {
  let stopped = false;
  let controller;
  (async function loop() {
    while (!stopped) {
      controller = new AbortController();
      try {
        const open = () => fetch(path, {
          headers: { Authorization: `Bearer ${access}`, Accept: 'text/event-stream' }, signal: controller.signal,
        });
        let r = await open();
        if (r.status === 401 && await refresh()) r = await open();
        if (!r.ok) throw new ApiError(r.status, `HTTP ${r.status}`);
        onState?.(true);
        const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let type = 'message';
            const data = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) type = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
            }
            if (data.length) onEvent(type, JSON.parse(data.join('\n')));
          }
        }
      } catch (e) {
        if (stopped) return;
      }
      onState?.(false);
      await new Promise((ok) => setTimeout(ok, 2000));
    }
  })();
  return () => { stopped = true; controller?.abort(); };
}
