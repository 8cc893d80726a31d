// A small Markdown subset rendered straight to DOM nodes: fenced code, headings, lists, quotes, paragraphs; inline
// code, bold, italic and http(s) links. Every piece of text becomes a text node, so no input can become HTML.
import { h } from './dom.js';

const INLINE = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*|_[^_\s][^_]*_)|\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/;

function inline(text) {
  const out = [];
  let rest = text;
  let m;
  while ((m = INLINE.exec(rest))) {
    if (m.index > 0) out.push(rest.slice(0, m.index));
    if (m[1]) out.push(h('code', null, m[1].slice(1, -1)));
    else if (m[2]) out.push(h('strong', null, inline(m[2].slice(2, -2))));
    else if (m[3]) out.push(h('em', null, inline(m[3].slice(1, -1))));
    else out.push(h('a', { href: m[5], rel: 'noopener noreferrer', target: '_blank' }, m[4]));
    rest = rest.slice(m.index + m[0].length);
  }
  if (rest) out.push(rest);
  return out;
}

/** The DOM of markdown text, as a fragment. */
export function render(text) {
  const frag = document.createDocumentFragment();
  const lines = String(text ?? '').split('\n');
  let para = [];
  const flush = () => {
    if (!para.length) return;
    const p = h('p');
    para.forEach((line, i) => { if (i) p.append(h('br')); p.append(...inline(line)); });
    frag.append(p);
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^```/.test(line)) {
      flush();
      const code = [];
      while (++i < lines.length && !/^```/.test(lines[i])) code.push(lines[i]);
      frag.append(h('pre', null, h('code', null, code.join('\n'))));
    } else if (/^#{1,6}\s/.test(line)) {
      flush();
      const level = Math.min(line.indexOf(' '), 6);
      frag.append(h(`h${Math.max(level + 2, 3) > 6 ? 6 : Math.max(level + 2, 3)}`, null, inline(line.slice(level + 1))));
    } else if (/^\s*([-*]|\d+\.)\s/.test(line)) {
      flush();
      const ordered = /^\s*\d+\./.test(line);
      const list = h(ordered ? 'ol' : 'ul');
      while (i < lines.length && /^\s*([-*]|\d+\.)\s/.test(lines[i])) {
        list.append(h('li', null, inline(lines[i].replace(/^\s*([-*]|\d+\.)\s/, ''))));
        i++;
      }
      i--;
      frag.append(list);
    } else if (/^>\s?/.test(line)) {
      flush();
      frag.append(h('blockquote', null, inline(line.replace(/^>\s?/, ''))));
    } else if (!line.trim()) {
      flush();
    } else {
      para.push(line);
    }
  }
  flush();
  return frag;
}
