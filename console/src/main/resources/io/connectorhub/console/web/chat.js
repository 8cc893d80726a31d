// Conversations (list, new, rename, delete, search) over /api/v1/me/sessions, and the chat itself over the WebSocket.
import { h, fill, errorBox } from './dom.js';
import { t } from './i18n.js';
import { render } from './markdown.js';
import { call } from './api.js';

const PAGE = 50;
const path = (key) => `/api/v1/me/sessions/${encodeURIComponent(key)}`;

export function chatView(rpc) {
  let sessions = [];
  let current = null;
  let searchTimer = null;

  const list = h('ul', { class: 'session-list', 'aria-label': t('conversations') });
  const search = h('input', {
    type: 'search', 'aria-label': t('search'), placeholder: t('search'),
    oninput: () => { clearTimeout(searchTimer); searchTimer = setTimeout(refreshList, 250); },
  });
  const listError = errorBox();
  const messages = h('ol', { class: 'messages', 'aria-live': 'polite', 'aria-label': t('messages') });
  const older = h('button', { type: 'button', class: 'link', hidden: true, onclick: () => loadOlder() }, t('olderMessages'));
  const input = h('textarea', { id: 'message', name: 'message', rows: 2, autocomplete: 'off' });
  // The agent picker: shown when the user may choose among more than one agent (routing.choosable); its first
  // choice leaves it to the routing.
  const picker = h('select', { id: 'agent', name: 'agent' });
  const pickerField = h('span', { class: 'agent-picker', hidden: true }, h('label', { for: 'agent' }, t('agent')), picker);
  const sendError = errorBox();
  const sendButton = h('button', { type: 'submit' }, t('send'));
  const form = h('form', { class: 'composer', onsubmit: (e) => { e.preventDefault(); send(); } },
    h('label', { for: 'message' }, t('message')), input, sendButton, sendError);

  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
  });

  const title = (s) => s.title || s.session_key;
  const session = (key) => sessions.find((s) => s.session_key === key);

  function drawList() {
    fill(list, sessions.length ? sessions.map((s) => h('li', { class: s.session_key === current ? 'current' : '' },
      h('button', { type: 'button', class: 'open', 'aria-current': s.session_key === current ? 'true' : null,
        onclick: () => open(s.session_key) }, title(s)),
      h('button', { type: 'button', class: 'icon', 'aria-label': `${t('rename')}: ${title(s)}`,
        onclick: () => rename(s) }, '✎'),
      s.channel === 'websocket' ? h('button', { type: 'button', class: 'icon', 'aria-label': `${t('delete')}: ${title(s)}`,
        onclick: () => remove(s) }, '×') : null))
      : h('li', { class: 'muted' }, t('noConversations')));
  }

  async function refreshList() {
    const q = search.value.trim();
    try {
      sessions = (await call('GET', `/api/v1/me/sessions?limit=200${q ? `&q=${encodeURIComponent(q)}` : ''}`)).sessions || [];
      listError.show('');
    } catch (e) {
      listError.show(e.message);
    }
    drawList();
  }

  function bubble(role, text, id) {
    const body = h('div', { class: 'body' });
    body.append(role === 'user' ? text : render(text));
    return h('li', { class: `msg ${role}`, 'data-id': id || null },
      h('span', { class: 'who' }, role === 'user' ? t('you') : t('assistant')), body);
  }

  async function page(before) {
    const r = await call('GET', `${path(current)}/messages?limit=${PAGE}${before ? `&before=${encodeURIComponent(before)}` : ''}`);
    const items = r.messages || [];
    older.hidden = items.length < PAGE;
    return items.map((m) => bubble(m.role, m.text, m.id));
  }

  async function load() {
    if (!current) { fill(messages); older.hidden = true; return; }
    try {
      fill(messages, await page(null));
      sendError.show('');
    } catch (e) {
      if (e.status === 404) { fill(messages); older.hidden = true; return; } // a new conversation, nothing said yet
      sendError.show(e.message);
    }
  }

  async function loadOlder() {
    const first = messages.querySelector('li[data-id]');
    if (!current || !first) return;
    try {
      messages.prepend(...await page(first.dataset.id));
      sendError.show('');
    } catch (e) {
      sendError.show(e.message);
    }
  }

  function open(key) {
    current = key;
    const s = session(key);
    picker.value = s?.agent && [...picker.options].some((o) => o.value === s.agent) ? s.agent : '';
    const writable = !s || s.channel === 'websocket';
    input.disabled = !writable;
    sendButton.disabled = !writable;
    drawList();
    load();
    input.focus();
  }

  async function rename(s) {
    const name = prompt(t('renamePrompt'), title(s));
    if (name === null || !name.trim()) return;
    try {
      await call('PATCH', path(s.session_key), { title: name.trim() });
      refreshList();
    } catch (e) {
      listError.show(e.message);
    }
  }

  async function remove(s) {
    if (!confirm(t('confirmDelete'))) return;
    try {
      await call('DELETE', path(s.session_key));
      if (current === s.session_key) { current = null; load(); }
      refreshList();
    } catch (e) {
      listError.show(e.message);
    }
  }

  function newConversation() {
    current = null;
    input.disabled = false;
    sendButton.disabled = false;
    fill(messages);
    older.hidden = true;
    drawList();
    input.focus();
  }

  async function send() {
    const text = input.value;
    if (!text.trim()) return;
    const agent = (!pickerField.hidden && picker.value) || undefined;
    sendError.show('');
    if (!current) {
      try {
        current = (await call('POST', '/api/v1/me/sessions', { title: text.trim().split('\n')[0].slice(0, 40), agent })).session_key;
      } catch (e) {
        sendError.show(e.message);
        return;
      }
    }
    input.value = '';
    messages.append(bubble('user', text));
    const reply = h('div', { class: 'body streaming' });
    let streamed = '';
    messages.append(h('li', { class: 'msg assistant' }, h('span', { class: 'who' }, t('assistant')), reply));
    const params = { text, session_key: current, ...(agent ? { agent } : {}) };
    try {
      const result = await rpc.call('chat.send_stream', params, (ev) => {
        if (ev.type !== 'chat.delta') return;
        streamed += ev.delta;
        reply.textContent = streamed;
      });
      fill(reply, render(result.text));
      reply.classList.remove('streaming');
      refreshList();
    } catch (e) {
      reply.parentElement.remove();
      input.value = text;
      sendError.show(e.message);
    }
  }

  async function loadAgents() {
    try {
      const agents = (await call('GET', '/api/v1/agents')).agents || [];
      fill(picker, h('option', { value: '' }, t('agentAuto')),
        agents.map((a) => h('option', { value: a.id }, a.model ? `${a.id} (${a.model})` : a.id)));
      pickerField.hidden = agents.length < 2;
    } catch { /* no choice offered: the routing decides */ }
  }

  const view = h('section', { class: 'chat' },
    h('aside', { class: 'sessions' },
      h('button', { type: 'button', class: 'primary', onclick: newConversation }, t('newConversation')),
      search, listError, list),
    h('div', { class: 'conversation' },
      h('div', { class: 'toolbar' }, pickerField), older, messages, form));
  refreshList();
  loadAgents();
  return view;
}
