// Builds DOM nodes. Text is always a text node: nothing here ever parses a string as HTML.

/** h('button', {onclick, 'aria-label': 'Delete'}, 'x'): an element with attributes, listeners and children. */
export function h(tag, props, ...children) {
  const el = tag === 'svg' || tag === 'polyline' || tag === 'line' || tag === 'text' || tag === 'g'
    ? document.createElementNS('http://www.w3.org/2000/svg', tag)
    : document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'value' || k === 'checked') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

/** Appends children: nodes as they are, anything else as text. */
export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/** Replaces the children of el. */
export function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** A message next to what caused it; empty text hides it. */
export function errorBox() {
  const box = h('p', { class: 'error', role: 'alert', hidden: true });
  box.show = (text) => { box.textContent = text || ''; box.hidden = !text; };
  return box;
}

/** A local date and time for an ISO timestamp or epoch milliseconds. */
export function when(t) {
  if (t == null || t === '') return '';
  const d = new Date(typeof t === 'number' && t < 1e12 ? t * 1000 : t);
  return isNaN(d) ? String(t) : d.toLocaleString();
}
