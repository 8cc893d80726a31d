// What admins see: channels (live), traffic, webhooks, inbound hooks, gateways, users, every session, configuration.
import { h, fill, errorBox, when } from './dom.js';
import { t } from './i18n.js';
import { call, stream } from './api.js';
import { chart } from './chart.js';
import { table } from './account.js';

export const SECTIONS = ['channels', 'webhooks', 'hooks', 'gateways', 'users', 'sessions', 'config'];

const enc = encodeURIComponent;

function button(label, name, onclick) {
  return h('button', { type: 'button', 'aria-label': name ? `${label}: ${name}` : null, onclick }, label);
}

/** A section whose load() fills body; errors show above it. */
function section(titleKey, build) {
  const error = errorBox();
  const body = h('div');
  const el = h('section', { class: 'page' }, h('h2', null, t(titleKey)), error, body);
  const run = async (fn) => { try { await fn(); error.show(''); } catch (e) { error.show(e.message); } };
  el.stop = build(body, run) || (() => {});
  return el;
}

function channels() {
  return section('channels', (body, run) => {
    const states = new Map();
    const status = h('p', { class: 'muted', role: 'status' });
    const list = h('div');
    const charts = h('div', { class: 'charts' });
    const draw = () => fill(list, table([t('name'), t('state'), t('lastError')], [...states.values()].map((c) => [
      c.name, h('span', { class: `state ${c.state}`, 'data-channel': c.name }, c.state), c.lastError || ''])));
    const stop = stream('/api/v1/events', (type, data) => {
      if (type === 'channels') { states.clear(); data.channels.forEach((c) => states.set(c.name, c)); }
      if (type === 'channel.status') states.set(data.channel, { name: data.channel, state: data.state, lastError: data.last_error });
      draw();
    }, (up) => { status.textContent = up ? t('live') : t('disconnected'); });
    const traffic = () => run(async () => {
      const r = await call('GET', '/api/v1/stats/series?minutes=60');
      fill(charts, Object.entries(r.channels).map(([name, s]) => chart(name, s)));
    });
    traffic();
    const timer = setInterval(traffic, 30000);
    fill(body, status, list, h('h3', null, t('traffic')), charts);
    return () => { stop(); clearInterval(timer); };
  });
}

function webhooks() {
  return section('webhooks', (body, run) => {
    const url = h('input', { id: 'wh-url', type: 'url', required: true });
    const events = h('input', { id: 'wh-events', value: '*' });
    const secret = h('p', { class: 'code', hidden: true });
    const list = h('div');
    const detail = h('div');
    const deliveries = (w) => run(async () => {
      const r = await call('GET', `/api/v1/webhooks/${enc(w.id)}/deliveries?limit=50`);
      fill(detail, h('h3', null, `${t('deliveries')}: ${w.url}`), table([t('id'), t('events'), t('status'), t('attempts'), t('lastError')],
        (r.deliveries || []).map((d) => [d.id, d.event, d.state, String(d.attempts),
          h('ul', { class: 'attempts' }, (d.attemptLog || []).map((a) => h('li', null,
            `${when(a.at)} ${a.status ?? ''} ${a.error ?? ''}`)))])));
    });
    const load = () => run(async () => {
      const r = await call('GET', '/api/v1/webhooks');
      fill(list, table([t('url'), t('events'), t('enabled'), t('actions')], (r.webhooks || []).map((w) => [
        w.url, (w.events || []).join(', '), w.enabled ? '✓' : '—',
        h('span', { class: 'actions' },
          button(t('test'), w.url, () => run(async () => { await call('POST', `/api/v1/webhooks/${enc(w.id)}/test`); deliveries(w); })),
          button(t('deliveries'), w.url, () => deliveries(w)),
          button(t('rotate'), w.url, () => run(async () => {
            const s = await call('POST', `/api/v1/webhooks/${enc(w.id)}/rotate-secret`);
            secret.textContent = `${t('secretOnce')}: ${s.secret}`; secret.hidden = false;
          })),
          button(w.enabled ? t('disable') : t('enable'), w.url, () => run(async () => {
            await call('PATCH', `/api/v1/webhooks/${enc(w.id)}`, { enabled: !w.enabled }); load();
          })),
          button(t('delete'), w.url, () => confirm(t('confirmDelete')) && run(async () => {
            await call('DELETE', `/api/v1/webhooks/${enc(w.id)}`); load();
          })))])));
    });
    const form = h('form', { class: 'inline', onsubmit: (e) => {
      e.preventDefault();
      run(async () => {
        const w = await call('POST', '/api/v1/webhooks', { url: url.value, events: events.value.split(',').map((s) => s.trim()).filter(Boolean) });
        secret.textContent = `${t('secretOnce')}: ${w.secret}`;
        secret.hidden = false;
        url.value = '';
        load();
      });
    } }, h('label', { for: 'wh-url' }, t('url')), url, h('label', { for: 'wh-events' }, t('events')), events,
    h('button', { type: 'submit' }, t('add')));
    fill(body, form, secret, list, detail);
    load();
  });
}

function hooks() {
  return section('hooks', (body, run) => {
    const description = h('input', { id: 'hook-description' });
    const created = h('p', { class: 'code', hidden: true });
    const list = h('div');
    const load = () => run(async () => {
      const r = await call('GET', '/api/v1/hooks');
      fill(list, table([t('id'), t('description'), t('url'), t('actions')], (r.hooks || []).map((k) => [k.id, k.description || '', k.url,
        button(t('delete'), k.id, () => confirm(t('confirmDelete')) && run(async () => { await call('DELETE', `/api/v1/hooks/${enc(k.id)}`); load(); }))])));
    });
    fill(body, h('form', { class: 'inline', onsubmit: (e) => {
      e.preventDefault();
      run(async () => {
        const k = await call('POST', '/api/v1/hooks', { description: description.value || undefined });
        created.textContent = `${k.url} — ${t('token')}: ${k.token} — ${t('secretOnce')}: ${k.secret}`;
        created.hidden = false;
        load();
      });
    } }, h('label', { for: 'hook-description' }, t('description')), description, h('button', { type: 'submit' }, t('add'))), created, list);
    load();
  });
}

function gateways() {
  return section('gateways', (body, run) => {
    run(async () => {
      const r = await call('GET', '/api/v1/gateways');
      fill(body, table([t('id'), t('status'), t('weight'), t('heartbeat')], (r.gateways || []).map((g) => [
        g.name, g.status, String(g.weight ?? ''), when(g.last_heartbeat)])));
    });
  });
}

function users() {
  return section('users', (body, run) => {
    const name = h('input', { id: 'user-name', required: true, autocomplete: 'off' });
    const admin = h('input', { id: 'user-admin', type: 'checkbox' });
    const shown = h('p', { class: 'code', hidden: true });
    const list = h('div');
    const show = (text) => { shown.textContent = text; shown.hidden = false; };
    const load = () => run(async () => {
      const r = await call('GET', '/api/v1/users');
      fill(list, table([t('username'), t('displayName'), t('role'), t('status'), t('actions')], (r.users || []).map((u) => [
        u.username, u.display_name || '', u.role, u.status,
        h('span', { class: 'actions' },
          button(u.status === 'disabled' ? t('enable') : t('disable'), u.username, () => run(async () => {
            await call('PATCH', `/api/v1/users/${enc(u.id)}`, { status: u.status === 'disabled' ? 'active' : 'disabled' });
            load();
          })),
          button(t('resetPassword'), u.username, () => run(async () => {
            const p = await call('POST', `/api/v1/users/${enc(u.id)}/reset-password`, {});
            show(t('newPasswordIs', { password: p.password }));
          })))])));
    });
    fill(body, h('form', { class: 'inline', onsubmit: (e) => {
      e.preventDefault();
      run(async () => {
        const u = await call('POST', '/api/v1/users', { username: name.value, role: admin.checked ? 'admin' : 'user' });
        if (u.password) show(t('newPasswordIs', { password: u.password }));
        name.value = '';
        load();
      });
    } }, h('label', { for: 'user-name' }, t('username')), name, h('label', { for: 'user-admin' }, admin, t('adminRole')),
    h('button', { type: 'submit' }, t('add')),
    button(t('invite'), null, () => run(async () => {
      const i = await call('POST', '/api/v1/invites', {});
      show(t('inviteCode', { code: i.code }));
    }))), shown, list);
    load();
  });
}

function sessions() {
  return section('sessions', (body, run) => {
    const filter = h('input', { id: 'session-filter', placeholder: 'telegram:' });
    const list = h('div');
    const reader = h('div');
    const read = (s) => run(async () => {
      const r = await call('GET', `/api/v1/sessions/${enc(s.sessionKey)}/messages?limit=200`);
      fill(reader, h('h3', null, s.sessionKey), h('ol', { class: 'messages' }, (r.messages || []).map((m) =>
        h('li', { class: `msg ${m.role}` }, h('span', { class: 'who' }, m.role), h('div', { class: 'body' }, m.content)))),
      button(t('close'), null, () => fill(reader)));
    });
    const load = () => run(async () => {
      const r = await call('GET', `/api/v1/sessions?limit=200&prefix=${enc(filter.value)}`);
      fill(list, table([t('sessions'), t('messages'), t('updated'), t('actions')], (r.sessions || []).map((s) => [
        s.sessionKey, String(s.messageCount), when(s.updatedAt),
        h('span', { class: 'actions' }, button(t('read'), s.sessionKey, () => read(s)),
          button(t('delete'), s.sessionKey, () => confirm(t('confirmDelete')) && run(async () => {
            await call('DELETE', `/api/v1/sessions/${enc(s.sessionKey)}`); load();
          })))])));
    });
    fill(body, h('form', { class: 'inline', onsubmit: (e) => { e.preventDefault(); load(); } },
      h('label', { for: 'session-filter' }, t('filterChannel')), filter, h('button', { type: 'submit' }, t('search'))), list, reader);
    load();
  });
}

function config() {
  return section('config', (body, run) => {
    run(async () => {
      const r = await call('GET', '/api/v1/config');
      const reload = r.reload;
      fill(body,
        reload && !reload.ok
          ? h('div', { class: 'error', role: 'alert' }, t('reloadProblems'),
            h('ul', null, reload.problems.map((p) => h('li', null, `${p.path}: ${p.message}`))))
          : h('p', { class: 'muted' }, reload ? t('configOk') : ''),
        h('pre', { class: 'config' }, JSON.stringify(r.config, null, 2)));
    });
  });
}

const builders = { channels, webhooks, hooks, gateways, users, sessions, config };

/** The admin page of one section, with its navigation. */
export function adminView(name) {
  const current = builders[name] ? name : 'channels';
  const content = builders[current]();
  const view = h('div', { class: 'admin' },
    h('nav', { class: 'tabs', 'aria-label': t('admin') }, SECTIONS.map((s) => h('a', {
      href: `#/admin/${s}`, 'aria-current': s === current ? 'page' : null }, t(s)))),
    content);
  view.stop = content.stop;
  return view;
}
