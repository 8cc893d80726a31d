// The console: sign-in, then hash routes #/chat, #/account and #/admin/<section>.
import { h, fill, errorBox } from './dom.js';
import { t, lang, setLang, languages } from './i18n.js';
import { login, logout, refresh, currentUser, accessToken } from './api.js';
import { Rpc } from './rpc.js';
import { chatView } from './chat.js';
import { accountView } from './account.js';
import { adminView } from './admin.js';

const root = document.getElementById('app');
let rpc = null;
let page = null;

function languageSwitch() {
  const select = h('select', { id: 'language', onchange: () => { setLang(select.value); route(); } },
    Object.entries(languages).map(([code, name]) => h('option', { value: code }, name)));
  select.value = lang();
  return [h('label', { for: 'language', class: 'sr-only' }, t('language')), select];
}

function signIn() {
  const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = errorBox();
  const button = h('button', { type: 'submit', class: 'primary' }, t('signIn'));
  const form = h('form', { class: 'signin', onsubmit: async (e) => {
    e.preventDefault();
    button.disabled = true;
    try {
      await login(username.value, password.value);
      if (!location.hash || location.hash === '#/signin') location.hash = '#/chat';
      route();
    } catch (err) {
      error.show(`${t('signInFailed')}: ${err.message}`);
      button.disabled = false;
      password.focus();
    }
  } },
  h('h1', null, t('title')),
  h('label', { for: 'username' }, t('username')), username,
  h('label', { for: 'password' }, t('password')), password,
  button, error, h('div', { class: 'lang' }, languageSwitch()));
  fill(root, form);
  root.dataset.state = 'signin';
  username.focus();
}

function header(active) {
  const user = currentUser();
  const link = (href, key) => h('a', { href, 'aria-current': active === key ? 'page' : null }, t(key));
  return h('header', { class: 'top' },
    h('strong', { class: 'brand' }, t('title')),
    h('nav', { 'aria-label': t('title') }, link('#/chat', 'chat'), link('#/account', 'account'),
      user?.role === 'admin' ? link('#/admin/channels', 'admin') : null),
    h('span', { class: 'spacer' }),
    h('span', { class: 'who', title: user?.username }, user?.username),
    languageSwitch(),
    h('button', { type: 'button', onclick: async () => {
      await logout();
      rpc?.close();
      rpc = null;
      location.hash = '#/signin';
      signIn();
    } }, t('signOut')));
}

function route() {
  page?.stop?.();
  if (!accessToken()) { signIn(); return; }
  rpc ??= new Rpc(async (fresh) => { if (fresh) await refresh(); return accessToken(); });
  const [, top, sub] = (location.hash || '#/chat').split('/');
  let active = 'chat';
  if (top === 'account') { active = 'account'; page = accountView(); }
  else if (top === 'admin' && currentUser()?.role === 'admin') { active = 'admin'; page = adminView(sub); }
  else page = chatView(rpc);
  fill(root, header(active), page);
  root.dataset.state = active;
  performance.mark(`console:${active}`);
}

window.addEventListener('hashchange', route);
(async () => {
  await refresh();
  route();
})();
