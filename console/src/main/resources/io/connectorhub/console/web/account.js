// The signed-in user's own things: linked chat accounts, devices, password.
import { h, fill, errorBox, when } from './dom.js';
import { t } from './i18n.js';
import { call } from './api.js';

function table(headers, rows) {
  if (!rows.length) return h('p', { class: 'muted' }, t('empty'));
  return h('div', { class: 'scroll' }, h('table', null,
    h('thead', null, h('tr', null, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', null, rows.map((r) => h('tr', null, r.map((c) => h('td', null, c)))))));
}
export { table };

export function accountView() {
  const links = h('div');
  const linkError = errorBox();
  const code = h('p', { class: 'code', hidden: true });
  const devices = h('div');
  const deviceError = errorBox();

  async function loadLinks() {
    try {
      const r = await call('GET', '/api/v1/me/links');
      fill(links, table([t('filterChannel'), t('id'), t('created'), t('actions')], (r.links || []).map((l) => [
        l.channel, l.sender_id, when(l.created_at),
        h('button', { type: 'button', 'aria-label': `${t('unlink')}: ${l.channel} ${l.sender_id}`, onclick: async () => {
          try { await call('DELETE', `/api/v1/me/links/${encodeURIComponent(l.id)}`); loadLinks(); } catch (e) { linkError.show(e.message); }
        } }, t('unlink'))])));
    } catch (e) {
      if (e.status === 404) fill(links, h('p', { class: 'muted' }, t('empty')));
      else linkError.show(e.message);
    }
  }

  async function loadDevices() {
    try {
      const r = await call('GET', '/api/v1/me/devices');
      fill(devices, table([t('name'), t('created'), t('actions')], (r.devices || []).map((d) => [
        d.name || d.id, when(d.created_at),
        h('button', { type: 'button', 'aria-label': `${t('revoke')}: ${d.name || d.id}`, onclick: async () => {
          try { await call('DELETE', `/api/v1/me/devices/${encodeURIComponent(d.id)}`); loadDevices(); } catch (e) { deviceError.show(e.message); }
        } }, t('revoke'))])));
    } catch (e) { deviceError.show(e.message); }
  }

  const current = h('input', { id: 'current-password', type: 'password', autocomplete: 'current-password', required: true });
  const next = h('input', { id: 'new-password', type: 'password', autocomplete: 'new-password', required: true });
  const pwError = errorBox();
  const pwDone = h('p', { class: 'ok', role: 'status' });
  const pwForm = h('form', { onsubmit: async (e) => {
    e.preventDefault();
    pwDone.textContent = '';
    try {
      await call('POST', '/api/v1/auth/password', { current_password: current.value, new_password: next.value });
      pwError.show('');
      current.value = next.value = '';
      pwDone.textContent = t('saved');
    } catch (err) { pwError.show(err.message); }
  } },
  h('label', { for: 'current-password' }, t('currentPassword')), current,
  h('label', { for: 'new-password' }, t('newPassword')), next,
  h('button', { type: 'submit' }, t('save')), pwError, pwDone);

  loadLinks();
  loadDevices();
  return h('section', { class: 'page' },
    h('h2', null, t('links')),
    h('button', { type: 'button', onclick: async () => {
      try {
        const r = await call('POST', '/api/v1/me/links', {});
        code.textContent = t('linkHelp', { code: r.code });
        code.hidden = false;
        linkError.show('');
      } catch (e) { linkError.show(e.message); }
    } }, t('linkCode')), code, linkError, links,
    h('h2', null, t('devices')), deviceError, devices,
    h('h2', null, t('changePassword')), pwForm);
}
