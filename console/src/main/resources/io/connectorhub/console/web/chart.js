// A line chart of per-minute counts in SVG, drawn by hand: one line per series, oldest minute on the left.
import { h } from './dom.js';
import { t } from './i18n.js';

const W = 300;
const H = 80;

/** series: {inbound: [..], replies: [..], denied: [..], failed: [..]}. */
export function chart(name, series) {
  const max = Math.max(1, ...Object.values(series).flat());
  const lines = Object.entries(series).map(([key, values]) => {
    const step = values.length > 1 ? W / (values.length - 1) : W;
    const points = values.map((v, i) => `${(i * step).toFixed(1)},${(H - (v / max) * (H - 4) - 2).toFixed(1)}`).join(' ');
    return h('polyline', { class: `line ${key}`, points, fill: 'none' });
  });
  const total = (key) => (series[key] || []).reduce((a, b) => a + b, 0);
  const label = `${name}: ${Object.keys(series).map((k) => `${t(k)} ${total(k)}`).join(', ')}`;
  return h('figure', { class: 'chart' },
    h('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label, preserveAspectRatio: 'none' },
      h('line', { class: 'axis', x1: 0, y1: H - 1, x2: W, y2: H - 1 }), lines),
    h('figcaption', null, h('strong', null, name), ' ',
      Object.keys(series).map((k) => h('span', { class: `key ${k}` }, `${t(k)} ${total(k)}`)), ` (max ${max}/min)`));
}
