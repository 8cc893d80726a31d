// Conversations (list, new, rename, delete, search) and the chat itself, over the WebSocket channel.
import { h, fill, errorBox } from './dom.js';
import { t } from './i18n.js';
import { render } from './markdown.js';
import { call, currentUser } from './api.js';

const PAGE = 50;

function titles() {
  const key = `hub.titles.${currentUser()?.id ?? ''}`;
  return {
    get: (s) => JSON.parse(localStorage.getItem(key) || '{}')[s],
    set: (s, v) => {
      const all = JSON.parse(localStorage.getItem(key) || '{}');
      if (v) all[s] = v; else delete all[s];
      localStorage.setItem(key, JSON.stringify(all));
    },
  };
}

export function chatView(rpc) {
  const names = titles();
  let sessions = [];
  let current = null;
  let limit = PAGE;
  let agents = [];

  const list = h('ul', { class: 'session-list', 'aria-label': t('conversations') });
  const search = h('input', { type: 'search', 'aria-label': t('search'), placeholder: t('search'), oninput: () => drawList() });
  const listError = errorBox();
  const messages = h('ol', { class: 'messages', 'aria-live': 'polite', 'aria-label': t('messages') });
  const older = h('button', { type: 'button', class: 'link', hidden: true, onclick: () => { limit += PAGE; load(); } }, t('olderMessages'));
  const input = h('textarea', { id: 'message', name: 'message', rows: 2, autocomplete: 'off' });
  // The WebSocket protocol routes by the hub's routing (no per-message agent yet): the console shows which agent answers.
  const agentInfo = h('p', { class: 'muted', hidden: true });
  const sendError = errorBox();
  const sendButton = h('button', { type: 'submit' }, t('send'));
  const form = h('form', { class: 'composer', onsubmit: (e) => { e.preventDefault(); send(); } },
    h('label', { for: 'message' }, t('message')), input, sendButton, sendError);

  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
  });

  const title = (s) => names.get(s) || s;

  function drawList() {
    const q = search.value.trim().toLowerCase();
    const shown = sessions.filter((s) => !q || title(s.session_key).toLowerCase().includes(q) || s.session_key.includes(q));
    fill(list, shown.length ? shown.map((s) => h('li', { class: s.session_key === current ? 'current' : '' },
      h('button', { type: 'button', class: 'open', 'aria-current': s.session_key === current ? 'true' : null,
        onclick: () => open(s.session_key) }, title(s.session_key)),
      h('button', { type: 'button', class: 'icon', 'aria-label': `${t('rename')}: ${title(s.session_key)}`,
        onclick: () => rename(s.session_key) }, '✎'),
      h('button', { type: 'button', class: 'icon', 'aria-label': `${t('delete')}: ${title(s.session_key)}`,
        onclick: () => remove(s.session_key) }, '×')))
      : h('li', { class: 'muted' }, t('noConversations')));
  }

  async function refreshList() {
    try {
      sessions = (await rpc.call('session.list', { limit: 200 })).sessions || [];
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

  async function load() {
    if (!current) { fill(messages); older.hidden = true; return; }
    try {
      const r = await rpc.call('chat.history', { session_key: current, limit });
      const items = r.messages || [];
      fill(messages, items.map((m) => bubble(m.role, m.text, m.id)));
      older.hidden = items.length < limit;
      sendError.show('');
    } catch (e) {
      sendError.show(e.message);
    }
  }

  function open(key) {
    current = key;
    limit = PAGE;
    drawList();
    load();
    input.focus();
  }

  function rename(key) {
    const name = prompt(t('renamePrompt'), title(key));
    if (name === null) return;
    names.set(key, name.trim());
    drawList();
  }

  async function remove(key) {
    if (!confirm(t('confirmDelete'))) return;
    try {
      await rpc.call('session.delete', { session_key: key });
      names.set(key, '');
      if (current === key) { current = null; load(); }
      refreshList();
    } catch (e) {
      listError.show(e.message);
    }
  }

  function newConversation() {
    current = `c-${Date.now().toString(36)}`;
    limit = PAGE;
    fill(messages);
    older.hidden = true;
    drawList();
    input.focus();
  }

  async function send() {
    const text = input.value;
    if (!text.trim()) return;
    if (!current) newConversation();
    if (!names.get(current)) names.set(current, text.trim().split('\n')[0].slice(0, 40));
    input.value = '';
    sendError.show('');
    messages.append(bubble('user', text));
    const reply = h('div', { class: 'body streaming' });
    let streamed = '';
    messages.append(h('li', { class: 'msg assistant' }, h('span', { class: 'who' }, t('assistant')), reply));
    const params = { text, session_key: current };
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
      const r = await call('GET', '/api/v1/agents');
      agents = r.agents || [];
      const answering = agents.find((a) => a.is_default) || agents[0];
      if (answering) {
        agentInfo.textContent = `${t('agent')}: ${answering.id}${answering.model ? ` (${answering.model})` : ''}`;
        agentInfo.hidden = false;
      }
    } catch { /* no choice offered */ }
  }

  const view = h('section', { class: 'chat' },
    h('aside', { class: 'sessions' },
      h('button', { type: 'button', class: 'primary', onclick: newConversation }, t('newConversation')),
      search, listError, list),
    h('div', { class: 'conversation' },
      h('div', { class: 'toolbar' }, agentInfo), older, messages, form));
  refreshList();
  loadAgents();
  return view;
}
