'use strict';
/*
 * Steppe workbench: a small single-page app over the REST API.
 *
 * Every string shown here came from the web and is untrusted. The DOM is
 * built only with createElement/textContent (the h() helper); no data ever
 * goes through an HTML parser, and links to outside pages are kept only when they
 * are http(s). The server's Content-Security-Policy forbids inline script and
 * eval as a second line of defence.
 */
(() => {
  const QUADS = ['verbal_cooperation', 'material_cooperation', 'verbal_conflict', 'material_conflict'];
  const QUAD_LABEL = {
    verbal_cooperation: 'Verbal cooperation', material_cooperation: 'Material cooperation',
    verbal_conflict: 'Verbal conflict', material_conflict: 'Material conflict',
  };
  const QUAD_COLOR = {
    verbal_cooperation: '#5aae61', material_cooperation: '#1b7837',
    verbal_conflict: '#f1a340', material_conflict: '#b2182b',
  };
  const FACET_LABEL = { publisher: 'Publisher', kind: 'Kind', month: 'Month', actor: 'Actor', event_type: 'Event type' };
  const FACET_PARAM = { publisher: 'publisher', kind: 'kind', actor: 'actor', event_type: 'type' };

  const main = document.getElementById('main');
  const tooltip = document.getElementById('tooltip');
  let cy = null; // the live Cytoscape instance, destroyed on navigation

  // ------------------------------------------------------------------ DOM helpers

  /** h('a', {href: '#/x', class: 'c', onclick: fn}, 'text', child...) with text nodes only. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') el.className = value;
      else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? '' : String(value));
    }
    append(el, children);
    return el;
  }

  function append(el, ...children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

  /** An outside link only when it is http(s); anything else (javascript:, data:) stays plain text. */
  function safeUrl(url) {
    if (typeof url !== 'string') return null;
    try {
      const parsed = new URL(url, window.location.href);
      return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && /^https?:\/\//i.test(url.trim()) ? parsed.href : null;
    } catch (e) { return null; }
  }

  function externalLink(url, text) {
    const safe = safeUrl(url);
    if (!safe) return url ? h('span', { class: 'url-unsafe', title: 'not an http(s) link' }, text || url) : null;
    return h('a', { href: safe, rel: 'noopener noreferrer nofollow', target: '_blank', class: 'external' }, text || url);
  }

  const enc = encodeURIComponent;
  const itemHref = (id) => `#/item/${enc(id)}`;
  const actorHref = (id) => `#/actor/${enc(id)}`;

  function actorLink(id, label) {
    return h('a', { href: actorHref(id), class: 'actor-link' }, label || id);
  }

  function meta(...parts) {
    return h('p', { class: 'meta' }, parts.filter(Boolean).flatMap((p, i) => (i ? [' · ', p] : [p])));
  }

  const LANGUAGE_LABEL = { ru: 'Russian', en: 'English', kk: 'Kazakh', uk: 'Ukrainian', ky: 'Kyrgyz', uz: 'Uzbek' };
  function languageBadge(lang) {
    return lang ? h('span', { class: 'badge lang', title: `Language: ${LANGUAGE_LABEL[lang] || lang}` }, lang.toUpperCase()) : null;
  }

  function quadBadge(quad) {
    return h('span', { class: `badge quad-${QUADS.includes(quad) ? quad : 'unknown'}` }, QUAD_LABEL[quad] || quad || 'unknown');
  }

  function heading(text, level = 1) {
    return h(`h${level}`, { tabindex: level === 1 ? '-1' : null }, text);
  }

  /** The item's title, else the server's display title (the start of its text, cut at a word). */
  function titleOf(x) {
    return x.title || x.display_title || '(untitled)';
  }

  function alertBox(message) { return h('p', { class: 'error', role: 'alert' }, message); }

  // ------------------------------------------------------------------ API

  /** Query string from params; arrays become repeated parameters (?actors=KAZ&actors=RUS). */
  function queryString(params) {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) {
      for (const value of Array.isArray(v) ? v : [v]) {
        if (value !== null && value !== undefined && value !== '' && value !== false) query.append(k, value);
      }
    }
    return query.toString() ? `?${query}` : '';
  }

  async function api(path, params) {
    const url = `/api/${path}${queryString(params)}`;
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (!response.ok) {
      const message = body && body.error ? body.error.message : `${response.status} ${response.statusText}`;
      const error = new Error(message);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  // ------------------------------------------------------------------ routing

  function parseHash() {
    const raw = window.location.hash.replace(/^#\/?/, '');
    const [path, query] = raw.split('?');
    const parts = path.split('/').map((p) => { try { return decodeURIComponent(p); } catch (e) { return p; } });
    return { name: parts[0] || 'search', arg: parts.slice(1).join('/'), params: new URLSearchParams(query || '') };
  }

  function go(name, params) {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) if (v !== null && v !== undefined && v !== '') query.set(k, v);
    const target = `#/${name}${query.toString() ? `?${query}` : ''}`;
    if (window.location.hash === target) route(); else window.location.hash = target;
  }

  const routes = {
    search: pageSearch, item: pageItem, actor: pageActor, actors: pageActors,
    relations: pageRelations, timeline: pageTimeline, network: pageNetwork, page: pagePage,
    brief: pageBrief, watchlists: pageWatchlists,
  };

  let routeSerial = 0;
  async function route() {
    const { name, arg, params } = parseHash();
    const serial = ++routeSerial;
    if (cy) { cy.destroy(); cy = null; }
    hideTooltip();
    for (const link of document.querySelectorAll('[data-nav]')) {
      if (link.dataset.nav === name) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
    }
    const render = routes[name] || pageNotFound;
    const view = h('div', { class: `view view-${name}` });
    try {
      await render(view, arg, params);
    } catch (error) {
      append(view, [heading(error.status === 404 ? 'Not found' : 'Something went wrong'), alertBox(error.message)]);
    }
    if (serial !== routeSerial) return; // a later navigation won the race
    clear(main).appendChild(view);
    view.dispatchEvent(new Event('mounted'));
    const h1 = view.querySelector('h1');
    // Focus the heading, unless the view focused something of its own on mount (a cited passage).
    if (h1 && !view.contains(document.activeElement)) h1.focus({ preventScroll: true });
    document.title = `${h1 ? h1.textContent : 'Steppe'} · Steppe workbench`;
    if (!view.contains(document.activeElement) || document.activeElement === h1) window.scrollTo(0, 0);
    document.body.dataset.ready = name; // lets end-to-end tests wait for a rendered view
  }

  function pageNotFound(view) {
    append(view, heading('Not found'), h('p', {}, 'There is no such page. ', h('a', { href: '#/search' }, 'Go to search.')));
  }

  // ------------------------------------------------------------------ search

  async function pageSearch(view, _arg, params) {
    const q = params.get('q') || '';
    const filters = {};
    for (const key of ['actor', 'publisher', 'kind', 'type', 'since', 'until', 'language']) if (params.get(key)) filters[key] = params.get(key);
    const pageNo = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
    const mode = ['keyword', 'semantic', 'both'].includes(params.get('mode')) ? params.get('mode') : 'both';

    const input = h('input', { id: 'q', name: 'q', type: 'search', value: q, placeholder: 'words, "a phrase", prefix*, AND/OR/NOT, -exclude', autocomplete: 'off' });
    const since = h('input', { id: 'since', name: 'since', value: filters.since || '', placeholder: 'YYYY-MM', inputmode: 'numeric', size: 10 });
    const until = h('input', { id: 'until', name: 'until', value: filters.until || '', placeholder: 'YYYY-MM', inputmode: 'numeric', size: 10 });
    const modeSelect = h('select', { id: 'mode', name: 'mode', onchange: () => form.requestSubmit() },
      [['both', 'keyword matches and semantic neighbours'], ['keyword', 'keyword matches only'], ['semantic', 'semantic neighbours only']]
        .map(([value, label]) => h('option', { value, selected: value === mode }, label)));
    const language = h('select', { id: 'language', name: 'language' },
      [['', 'any language'], ...Object.entries(LANGUAGE_LABEL)].map(([v, label]) => h('option', { value: v, selected: (filters.language || '') === v }, label)));
    const form = h('form', { role: 'search', class: 'searchbar', onsubmit: (e) => {
      e.preventDefault();
      go('search', { ...filters, q: input.value.trim(), since: since.value.trim(), until: until.value.trim(), language: language.value || null, mode: modeSelect.value === 'both' ? null : modeSelect.value, page: null });
    } },
    h('label', { for: 'q' }, 'Search the evidence base'),
    h('div', { class: 'row' }, input, h('button', { type: 'submit' }, 'Search')),
    h('div', { class: 'row mode' }, h('label', { for: 'mode' }, 'Show'), modeSelect),
    h('div', { class: 'row dates' }, h('label', { for: 'since' }, 'From'), since, h('label', { for: 'until' }, 'to'), until,
      h('label', { for: 'language' }, 'in'), language));

    append(view, heading('Search'), form);
    let result;
    try {
      result = await api('items', { q, ...filters, mode, page: pageNo });
    } catch (error) {
      append(view, alertBox(error.message));
      return;
    }
    const urlMode = mode === 'both' ? null : mode;
    const active = Object.entries(filters).filter(([k]) => k !== 'since' && k !== 'until');
    if (active.length) {
      append(view, h('ul', { class: 'chips', 'aria-label': 'Active filters' }, active.map(([key, value]) => h('li', {},
        h('button', { type: 'button', class: 'chip', 'aria-label': `Remove filter ${key}: ${value}`,
          onclick: () => go('search', { ...filters, q, mode: urlMode, [key]: null }) }, `${key}: ${value} ✕`)))));
    }
    const facets = h('aside', { class: 'facets', 'aria-label': 'Refine results' });
    for (const [name, rows] of Object.entries(result.facets)) {
      if (!rows.length) continue;
      const list = h('ul', {});
      for (const row of rows.slice(0, 12)) {
        const label = row.label || row.value || (name === 'month' ? 'undated' : 'unknown');
        const apply = name === 'month'
          ? { since: row.value || null, until: row.value || null }
          : { [FACET_PARAM[name]]: row.value };
        const disabled = !row.value;
        list.appendChild(h('li', {}, h('button', { type: 'button', class: 'facet', disabled,
          onclick: () => go('search', { ...filters, q, mode: urlMode, ...apply }) },
        h('span', { class: 'facet-label' }, label), h('span', { class: 'count' }, String(row.count)))));
      }
      const sampled = (result.sampled_facets || []).includes(name);
      facets.appendChild(h('section', { class: 'facet-group' }, h('h2', {}, FACET_LABEL[name] || name),
        sampled ? h('p', { class: 'facet-note' }, `in the top ${result.sample_size} results`) : null, list));
    }
    const results = h('section', { class: 'results', 'aria-label': 'Results' });
    results.appendChild(h('p', { class: 'summary', role: 'status' }, searchSummary(result)));
    const list = h('ol', { class: 'hits', start: (result.page - 1) * result.per_page + 1 });
    for (const hit of result.hits) {
      list.appendChild(h('li', { class: `hit${hit.match ? ` hit-${hit.match}` : ''}` },
        h('h3', {}, h('a', { href: itemHref(hit.id), class: hit.title ? null : 'untitled' }, titleOf(hit))),
        meta(hit.match ? matchBadge(hit.match) : null, hit.publisher, hit.published, hit.kind, languageBadge(hit.language)),
        h('p', { class: 'snippet' }, hit.snippet.map((s) => (s.match ? h('mark', {}, s.text) : s.text)))));
    }
    results.appendChild(list);
    if (result.pages > 1) {
      const nav = h('nav', { class: 'pager', 'aria-label': 'Result pages' });
      if (result.page > 1) nav.appendChild(h('a', { href: searchHref(q, filters, result.page - 1, mode), rel: 'prev' }, '← Previous'));
      nav.appendChild(h('span', {}, `Page ${result.page} of ${result.pages}`));
      if (result.page < result.pages) nav.appendChild(h('a', { href: searchHref(q, filters, result.page + 1, mode), rel: 'next' }, 'Next →'));
      results.appendChild(nav);
    }
    append(view, h('div', { class: 'split' }, facets, results));
  }

  function searchHref(q, filters, page, mode) {
    const query = new URLSearchParams({ ...filters, q, ...(mode && mode !== 'both' ? { mode } : {}), page: String(page) });
    return `#/search?${query}`;
  }

  /** What the search did: keyword matches and semantic neighbours counted apart. */
  function searchSummary(result) {
    if (result.mode === 'browse') return `${result.total} items, newest first`;
    const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
    const parts = [];
    if (result.mode !== 'semantic') parts.push(`${result.counts.keyword}${result.total_is_exact ? '' : '+'} ${result.counts.keyword === 1 ? 'item matches' : 'items match'}`);
    if (result.mode === 'semantic' || result.counts.semantic) {
      parts.push(`${plural(result.counts.semantic, 'semantic neighbour')}${result.mode === 'both' ? ' (close in meaning, without the words)' : ''}`);
    }
    return parts.join(' · ');
  }

  function matchBadge(match) {
    return match === 'semantic'
      ? h('span', { class: 'badge match-semantic', title: 'close in meaning to the query; does not contain its words' }, 'semantic neighbour')
      : h('span', { class: 'badge match-keyword', title: 'contains the query words' }, 'keyword match');
  }

  // ------------------------------------------------------------------ item reader

  async function pageItem(view, id, params) {
    const item = await api(`items/${enc(id)}`);
    const cited = citedRange(params, item.text.length);
    append(view, heading(titleOf(item)),
      meta(item.publisher, item.published ? `${item.published} (${item.published_precision || '?'})` : (item.date_raw ? `undated (“${item.date_raw}”)` : 'undated'), item.kind,
        languageBadge(item.language), item.url ? externalLink(item.url, 'original page') : null));
    const text = h('article', { class: 'item-text', 'aria-label': 'Item text' }, highlightText(item.text, item.mentions, item.events, cited));
    const side = h('aside', { class: 'item-side' });
    // Events with their evidence sentence
    const events = h('section', { 'aria-labelledby': 'events-h' }, h('h2', { id: 'events-h' }, `Events (${item.events.length})`));
    if (!item.events.length) events.appendChild(h('p', { class: 'muted' }, 'No events were found in this item.'));
    events.appendChild(h('ol', { class: 'events' }, item.events.map((ev, i) => eventCard(ev, {
      onshow: () => {
        const target = text.querySelector(`#evidence-${i}`);
        if (target) { target.scrollIntoView({ block: 'center' }); target.classList.add('flash'); target.focus(); }
      },
    }))));
    // Entities grouped by actor
    const byActor = new Map();
    const unlinked = new Map();
    for (const m of item.mentions) {
      if (m.actor) {
        const entry = byActor.get(m.actor) || { label: m.actor_label || m.text, count: 0, forms: new Set() };
        entry.count += 1; entry.forms.add(m.text); byActor.set(m.actor, entry);
      } else unlinked.set(m.text, (unlinked.get(m.text) || 0) + 1);
    }
    const entities = h('section', { 'aria-labelledby': 'entities-h' }, h('h2', { id: 'entities-h' }, `Actors (${byActor.size})`),
      h('ul', { class: 'entities' }, [...byActor.entries()].map(([actor, e]) => h('li', {},
        actorLink(actor, e.label), h('span', { class: 'count' }, String(e.count)),
        h('span', { class: 'muted' }, ` ${[...e.forms].join(', ')}`)))));
    if (unlinked.size) {
      entities.appendChild(h('p', { class: 'muted' }, `Unlinked names: ${[...unlinked.keys()].join(', ')}`));
    }
    // Provenance: every page this item was seen on, with a link to the page text
    const provenance = h('section', { 'aria-labelledby': 'prov-h' }, h('h2', { id: 'prov-h' }, `Seen on ${item.provenance.length} page(s)`),
      h('ol', { class: 'provenance' }, item.provenance.map((p) => h('li', {},
        h('a', { href: `#/page/${enc(p.page_id)}?start=${p.start}&end=${p.end}` }, p.page_title || p.source),
        meta(p.source, p.page_kind, `characters ${p.start}–${p.end}`, p.page_url ? externalLink(p.page_url, 'page URL') : null),
        (p.context_before || p.context_after) ? h('p', { class: 'context' },
          h('span', { class: 'muted' }, `…${p.context_before.slice(-120)}`), h('mark', {}, '[item]'),
          h('span', { class: 'muted' }, `${p.context_after.slice(0, 120)}…`)) : null))));
    append(side, events, entities, provenance);
    append(view, h('div', { class: 'split reader' }, text, side));
    if (cited) {
      view.addEventListener('mounted', () => {
        const target = text.querySelector('#cited');
        if (target) { target.scrollIntoView({ block: 'center' }); target.focus({ preventScroll: true }); }
      });
    }
  }

  /** A cited [start, end) from the route's parameters, when both are valid offsets into the text. */
  function citedRange(params, length) {
    if (!params || !params.has('start') || !params.has('end')) return null;
    const start = parseInt(params.get('start'), 10); const end = parseInt(params.get('end'), 10);
    if (!Number.isFinite(start) || !Number.isFinite(end) || start < 0 || end > length || end <= start) return null;
    return { start, end };
  }

  /** Item text as nodes: actor mentions as links, event evidence sentences highlighted, a cited span marked. */
  function highlightText(text, mentions, events, cited) {
    const length = text.length;
    const clamp = (n) => Math.max(0, Math.min(length, n | 0));
    const points = new Set([0, length]);
    const spans = [];
    let lastEnd = -1;
    for (const m of [...mentions].sort((a, b) => a.start - b.start || b.end - a.end)) {
      const s = clamp(m.start); const e = clamp(m.end);
      if (e <= s || s < lastEnd) continue; // overlapping mentions: keep the first
      spans.push({ start: s, end: e, m }); lastEnd = e; points.add(s); points.add(e);
    }
    const evidence = events.map((ev, i) => ({ start: clamp(ev.evidence_start), end: clamp(ev.evidence_end), i, ev }))
      .filter((x) => x.end > x.start);
    for (const x of evidence) { points.add(x.start); points.add(x.end); }
    if (cited) { points.add(clamp(cited.start)); points.add(clamp(cited.end)); }
    let citedFirst = true;
    const cuts = [...points].sort((a, b) => a - b);
    const out = [];
    let wrapper = null; let wrapperKey = '';
    const placed = new Set();
    for (let k = 0; k < cuts.length - 1; k += 1) {
      const s = cuts[k]; const e = cuts[k + 1];
      const piece = text.slice(s, e);
      const mention = spans.find((x) => x.start <= s && x.end >= e);
      let node;
      if (mention && mention.m.actor) {
        node = h('a', { href: actorHref(mention.m.actor), class: 'entity', title: `${mention.m.actor_label || mention.m.actor} (${mention.m.label})` }, piece);
      } else if (mention) {
        node = h('span', { class: 'entity unlinked', title: mention.m.label }, piece);
      } else node = document.createTextNode(piece);
      if (cited && s >= cited.start && e <= cited.end) {
        node = h('mark', { class: 'cited', id: citedFirst ? 'cited' : null, tabindex: citedFirst ? '-1' : null,
          title: citedFirst ? 'the cited passage' : null }, node);
        citedFirst = false;
      }
      const covering = evidence.filter((x) => x.start <= s && x.end >= e);
      const key = covering.map((x) => x.i).join(',');
      if (key !== wrapperKey) {
        wrapper = null; wrapperKey = key;
        if (covering.length) {
          wrapper = h('span', { class: 'evidence', tabindex: '-1', title: covering.map((x) => x.ev.type).join(', ') });
          for (const x of covering) if (!placed.has(x.i)) { wrapper.id = wrapper.id || `evidence-${x.i}`; placed.add(x.i); }
          out.push(wrapper);
        }
      }
      if (wrapper) wrapper.appendChild(node); else out.push(node);
    }
    return out;
  }

  function sideNodes(side) {
    if (!side) return [h('span', { class: 'muted' }, '—')];
    const actors = side.actors || [];
    if (!actors.length) return [side.text || '—'];
    return actors.flatMap((a, i) => [i ? ', ' : null, actorLink(a, (side.labels && side.labels[i] !== a && side.labels[i]) || (actors.length === 1 && side.text) || a)]);
  }

  /** One event: type, quad, date, who to whom, flags, and its evidence sentence. */
  function eventCard(ev, options = {}) {
    const flags = [ev.negated ? 'negated' : null, ev.hypothetical ? 'hypothetical' : null, ev.reported ? `reported by ${ev.reported}` : null].filter(Boolean);
    return h('li', { class: 'event' },
      h('p', { class: 'event-head' }, h('strong', {}, ev.type || '?'), ' ', quadBadge(ev.quad),
        ev.date ? h('time', { datetime: ev.date }, ` ${ev.date}`) : h('span', { class: 'muted' }, ' undated'),
        ev.intensity !== null && ev.intensity !== undefined ? h('span', { class: 'muted' }, ` · intensity ${ev.intensity}`) : null,
        flags.length ? h('span', { class: 'flags' }, ` · ${flags.join(', ')}`) : null),
      h('p', { class: 'event-actors' }, sideNodes(ev.source), ' → ', sideNodes(ev.target), ev.place ? ` · at ${ev.place_label || ev.place}` : null),
      h('blockquote', { class: 'evidence-quote' }, ev.evidence || ''),
      ev.item ? h('p', { class: 'meta' }, h('a', { href: itemHref(ev.item.id) }, ev.item.title || '(untitled)'),
        ev.item.publisher ? ` · ${ev.item.publisher}` : null, ev.item.published ? ` · ${ev.item.published}` : null) : null,
      options.onshow ? h('button', { type: 'button', class: 'link', onclick: options.onshow }, 'Show in text') : null);
  }

  // ------------------------------------------------------------------ page text (provenance)

  async function pagePage(view, id, params) {
    const page = await api(`pages/${enc(id)}`, { start: params.get('start'), end: params.get('end') });
    const span = h('mark', { id: 'span', tabindex: '-1' }, page.span);
    append(view, heading(page.title || page.source), meta(page.source, page.kind, page.url ? externalLink(page.url, 'page URL') : null,
      `${page.length} characters`),
    h('pre', { class: 'page-text', 'aria-label': 'Page text' }, page.before, span, page.after));
    view.addEventListener('mounted', () => { if (page.span) span.scrollIntoView({ block: 'center' }); });
  }

  // ------------------------------------------------------------------ actors

  async function pageActors(view, _arg, params) {
    const q = params.get('q') || '';
    const input = h('input', { id: 'actor-q', name: 'q', type: 'search', value: q, placeholder: 'name or id' });
    append(view, heading('Actors'), h('form', { class: 'searchbar', onsubmit: (e) => { e.preventDefault(); go('actors', { q: input.value.trim() }); } },
      h('label', { for: 'actor-q' }, 'Filter actors'), h('div', { class: 'row' }, input, h('button', { type: 'submit' }, 'Filter'))));
    const data = await api('actors', { top: 200, q });
    const table = h('table', { class: 'data' }, h('caption', {}, 'Most mentioned actors'),
      h('thead', {}, h('tr', {}, ['Actor', 'Type', 'Country', 'Items', 'Mentions', 'Events'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, data.actors.map((a) => h('tr', {}, h('th', { scope: 'row' }, actorLink(a.id, a.label)),
        h('td', {}, a.type || a.ner_label || ''), h('td', {}, a.country || ''), h('td', { class: 'num' }, String(a.items)),
        h('td', { class: 'num' }, String(a.mentions)), h('td', { class: 'num' }, String(a.events))))));
    append(view, data.actors.length ? h('div', { class: 'table-wrap' }, table) : h('p', { class: 'muted' }, 'No linked actors yet.'));
  }

  async function pageActor(view, id) {
    const a = await api(`actors/${enc(id)}`);
    append(view, heading(a.label),
      meta(a.id, a.type, a.country ? `country ${a.country}` : null, a.qid ? externalLink(`https://www.wikidata.org/wiki/${enc(a.qid)}`, a.qid) : null,
        `${a.items} items, ${a.mentions} mentions`),
      a.aliases.length ? h('p', {}, h('strong', {}, 'Also known as: '), a.aliases.join(', ')) : null,
      a.names_in_corpus.length ? h('p', {}, h('strong', {}, 'Written in the corpus as: '),
        a.names_in_corpus.map((n) => `${n.text} (${n.count})`).join(', ')) : null,
      h('p', { class: 'actions' }, h('a', { href: `#/search?actor=${enc(a.id)}` }, 'Items mentioning this actor'), ' · ',
        h('a', { href: `#/timeline?actor=${enc(a.id)}` }, 'Timeline'), ' · ',
        h('a', { href: `#/network` }, 'Network')));
    const chart = h('div', { class: 'chart small', role: 'img', 'aria-label': `Items mentioning ${a.label} per month` });
    const months = a.mentions_by_month.filter((r) => r.month);
    const co = h('section', {}, h('h2', {}, 'Mentioned with'),
      a.co_mentioned.length ? h('ul', { class: 'entities' }, a.co_mentioned.map((c) => h('li', {},
        actorLink(c.id, c.label), ' ', h('a', { class: 'muted', href: `#/relations?a=${enc(a.id)}&b=${enc(c.id)}`, 'aria-label': `Relations between ${a.label} and ${c.label}` }, 'relations'),
        h('span', { class: 'count' }, String(c.count))))) : h('p', { class: 'muted' }, 'No co-mentioned actors.'));
    const events = h('section', {}, h('h2', {}, `Events (${a.events.length})`),
      a.events.length ? h('ol', { class: 'events' }, a.events.map((ev) => eventCard(ev))) : h('p', { class: 'muted' }, 'No events.'));
    const items = h('section', {}, h('h2', {}, 'Recent items'), h('ul', { class: 'plain' }, a.recent_items.map((it) => h('li', {},
      h('a', { href: itemHref(it.id) }, it.title || '(untitled)'), meta(it.publisher, it.published, languageBadge(it.language))))));
    append(view, h('section', {}, h('h2', {}, 'Mentions by month'), months.length ? chart : h('p', { class: 'muted' }, 'No dated mentions.')),
      h('div', { class: 'split even' }, h('div', {}, co, items), events));
    if (months.length) {
      view.addEventListener('mounted', () => embed(chart, {
        bands: months.length, data: { values: months }, mark: { type: 'bar', tooltip: true },
        encoding: { x: { field: 'month', type: 'ordinal', title: 'month' }, y: { field: 'count', type: 'quantitative', title: 'items' } },
      }));
    }
  }

  // ------------------------------------------------------------------ charts

  function embed(el, spec, onClick) {
    if (!window.vegaEmbed) { el.appendChild(alertBox('The chart library did not load.')); return Promise.resolve(null); }
    // Fill the container; with few bands, pad the outside so bars stay slim (about 90 px).
    const full = { width: 'container', height: 260, autosize: { type: 'fit', contains: 'padding' },
      config: { axis: { labelFontSize: 12, titleFontSize: 12 }, legend: { labelFontSize: 12 } }, ...spec };
    delete full.bands;
    if (spec.bands && full.encoding && full.encoding.x) {
      const room = Math.max(200, el.clientWidth - 100);
      const outer = Math.max(0.1, (room / 90 - spec.bands) / 2);
      full.encoding.x.scale = { paddingInner: 0.25, paddingOuter: outer, ...(full.encoding.x.scale || {}) };
    }
    // ast: true runs Vega's expression interpreter instead of generated code (no eval under the CSP).
    return window.vegaEmbed(el, full, { actions: false, ast: true, renderer: 'svg', defaultStyle: false, tooltip: showTooltip })
      .then((result) => {
        if (onClick) result.view.addEventListener('click', (event, item) => { hideTooltip(); if (item && item.datum) onClick(item.datum); });
        return result;
      })
      .catch((error) => { el.appendChild(alertBox(`Chart failed: ${error.message}`)); return null; });
  }

  /** Vega tooltip handler: text only, in our own element. */
  function showTooltip(_handler, event, _item, value) {
    if (value === null || value === undefined || value === '') { hideTooltip(); return; }
    const text = typeof value === 'object' ? Object.entries(value).map(([k, v]) => `${k}: ${v}`).join('\n') : String(value);
    tooltip.textContent = text;
    tooltip.hidden = false;
    tooltip.style.left = `${event.clientX + 12}px`;
    tooltip.style.top = `${event.clientY + 12}px`;
  }

  function hideTooltip() { tooltip.hidden = true; }

  // ------------------------------------------------------------------ relations

  async function pageRelations(view, _arg, params) {
    const a = params.get('a') || ''; const b = params.get('b') || '';
    const by = params.get('by') || 'month'; const dir = params.get('dir') || 'combined';
    const since = params.get('since') || ''; const hypo = params.get('hypothetical') === '1';
    const minConf = params.get('min_confidence') || '';
    const actors = await api('actors', { top: 300 }).catch(() => ({ actors: [] }));
    const datalist = h('datalist', { id: 'actor-options' }, actors.actors.map((x) => h('option', { value: x.id }, x.label)));
    const inA = h('input', { id: 'rel-a', name: 'a', value: a, list: 'actor-options', required: true, placeholder: 'e.g. KAZ' });
    const inB = h('input', { id: 'rel-b', name: 'b', value: b, list: 'actor-options', required: true, placeholder: 'e.g. RUS' });
    const inBy = h('select', { id: 'rel-by', name: 'by' }, ['month', 'quarter', 'year'].map((v) => h('option', { value: v, selected: v === by }, v)));
    const inDir = h('select', { id: 'rel-dir', name: 'dir' }, [['combined', 'both directions'], ['a_to_b', 'A → B'], ['b_to_a', 'B → A']]
      .map(([v, t]) => h('option', { value: v, selected: v === dir }, t)));
    const inSince = h('input', { id: 'rel-since', name: 'since', value: since, placeholder: 'YYYY-MM', size: 10 });
    const inHypo = h('input', { id: 'rel-hypo', name: 'hypothetical', type: 'checkbox', checked: hypo });
    const inConf = minConfidenceInput('rel-conf', minConf);
    const form = h('form', { class: 'controls', onsubmit: (e) => {
      e.preventDefault();
      go('relations', { a: inA.value.trim(), b: inB.value.trim(), by: inBy.value, dir: inDir.value, since: inSince.value.trim(), hypothetical: inHypo.checked ? '1' : null, min_confidence: inConf.value || null });
    } },
    datalist,
    h('div', {}, h('label', { for: 'rel-a' }, 'Actor A'), inA), h('div', {}, h('label', { for: 'rel-b' }, 'Actor B'), inB),
    h('div', {}, h('label', { for: 'rel-by' }, 'Period'), inBy), h('div', {}, h('label', { for: 'rel-dir' }, 'Direction'), inDir),
    h('div', {}, h('label', { for: 'rel-since' }, 'Since'), inSince),
    h('div', {}, h('label', { for: 'rel-conf' }, 'Min confidence'), inConf),
    h('div', { class: 'check' }, inHypo, h('label', { for: 'rel-hypo' }, 'include hypothetical and negated')),
    h('div', {}, h('button', { type: 'submit' }, 'Show')));
    append(view, heading(a && b ? `Relations: ${a} and ${b}` : 'Relations'), form);
    if (!a || !b) {
      append(view, h('p', { class: 'muted' }, 'Choose two actors (countries or any actor id, e.g. KAZ and RUS) to see their events per period: cooperation above the line, conflict below.'));
      return;
    }
    const series = await api('relations', { a, b, by, since, include_hypothetical: hypo ? 'true' : null, min_confidence: minConf || null });
    const dirLabel = { combined: `${series.a} ↔ ${series.b}`, a_to_b: `${series.a} → ${series.b}`, b_to_a: `${series.b} → ${series.a}` }[dir] || dir;
    const t = series.totals;
    const unplaced = series.unplaced.map((id) => series.events[id]).filter((ev) => ev && (dir === 'combined' || ev.direction === dir || ev.direction === 'both'));
    const undatedList = h('div', { class: 'period-events' });
    append(view, h('p', { class: 'summary', role: 'status' },
      `${t.count} events in the chart, summed intensity ${t.intensity}`,
      unplaced.length ? [`; ${unplaced.length} more without a date precise to the ${by} `,
        h('button', { type: 'button', class: 'link', onclick: () => {
          clear(undatedList).appendChild(h('h2', { tabindex: '-1' }, `Events without a ${by}: ${unplaced.length}`));
          undatedList.appendChild(h('ol', { class: 'events' }, unplaced.map((ev) => eventCard(ev))));
          undatedList.querySelector('h2').focus();
        } }, 'show them')] : null), undatedList);
    if (!series.periods.length) { append(view, h('p', { class: 'muted' }, 'No dated events between these actors.')); return; }
    const chart = h('div', { class: 'chart', id: 'relations-chart', role: 'img', 'aria-label': `Events per ${by}, ${dirLabel}, stacked by quad class; the table below has the same figures` });
    const detail = h('section', { class: 'period-events', 'aria-live': 'polite', id: 'period-events' },
      h('p', { class: 'muted' }, 'Click a bar, or a “show” button in the table, to list that period’s events.'));
    const showPeriod = (period, quad) => {
      const p = series.periods.find((x) => x.period === period);
      if (!p) return;
      const d = p[dir] || p.combined;
      const evs = d.events.map((id) => series.events[id]).filter(Boolean);
      clear(detail).appendChild(h('h2', { tabindex: '-1' }, `${period}: ${evs.length} event(s)${quad ? ` — clicked ${QUAD_LABEL[quad]}` : ''}`));
      detail.appendChild(h('ol', { class: 'events' }, evs.map((ev) => eventCard(ev))));
      detail.querySelector('h2').focus();
    };
    const table = h('table', { class: 'data' }, h('caption', {}, `Events per ${by} (${dirLabel})`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, by), QUADS.map((q) => h('th', { scope: 'col' }, QUAD_LABEL[q])),
        h('th', { scope: 'col' }, 'Intensity'), h('th', { scope: 'col' }, 'Events'))),
      h('tbody', {}, series.periods.map((p) => {
        const d = p[dir] || p.combined;
        return h('tr', {}, h('th', { scope: 'row' }, p.period), QUADS.map((q) => h('td', { class: 'num' }, String(d[q]))),
          h('td', { class: 'num' }, String(d.intensity)),
          h('td', {}, d.count ? h('button', { type: 'button', class: 'link', onclick: () => showPeriod(p.period) }, `show ${d.count}`) : '0'));
      })));
    append(view, chart, detail, h('details', { class: 'table-wrap' }, h('summary', {}, 'Figures as a table'), table));
    view.addEventListener('mounted', () => embed(chart, relationSpec(series, dir), (datum) => showPeriod(datum.period, datum.quad)));
  }

  /** The Vega-Lite spec of a relation series: events per period stacked by quad class, conflict below zero. */
  function relationSpec(series, dir) {
    const rows = [];
    for (const p of series.periods) {
      const d = p[dir] || p.combined;
      for (const quad of QUADS) {
        if (!d[quad]) continue;
        rows.push({ period: p.period, quad, label: QUAD_LABEL[quad], events: d[quad], value: quad.endsWith('conflict') ? -d[quad] : d[quad] });
      }
    }
    const by = series.by;
    return {
      bands: series.periods.length,
      data: { values: rows },
      mark: { type: 'bar', cursor: 'pointer' },
      encoding: {
        x: { field: 'period', type: 'ordinal', title: by, sort: series.periods.map((p) => p.period), axis: { labelAngle: -45 } },
        y: { field: 'value', type: 'quantitative', stack: 'zero', title: 'events (conflict below zero)' },
        color: { field: 'quad', type: 'nominal', title: null, scale: { domain: QUADS, range: QUADS.map((q) => QUAD_COLOR[q]) }, legend: { orient: 'bottom', labelExpr: "replace(datum.label, '_', ' ')" } },
        tooltip: [{ field: 'period', title: by }, { field: 'label', title: 'quad' }, { field: 'events', title: 'events' }],
      },
    };
  }

  // ------------------------------------------------------------------ timeline

  // The coder's confidence is a calibrated probability that an event's type is right (0..1).
  function minConfidenceInput(id, value) {
    return h('input', { id, name: 'min_confidence', type: 'number', min: '0', max: '1', step: '0.05', value, placeholder: '0–1', size: 5,
      title: 'Leave out events the coder is less sure of (a calibrated probability)' });
  }

  async function pageTimeline(view, _arg, params) {
    const actor = params.get('actor') || ''; const since = params.get('since') || ''; const until = params.get('until') || '';
    const inActor = h('input', { id: 'tl-actor', value: actor, placeholder: 'e.g. KAZ' });
    const inSince = h('input', { id: 'tl-since', value: since, placeholder: 'YYYY-MM', size: 10 });
    const inUntil = h('input', { id: 'tl-until', value: until, placeholder: 'YYYY-MM', size: 10 });
    const minConf = params.get('min_confidence') || '';
    const inConf = minConfidenceInput('tl-conf', minConf);
    append(view, heading(actor ? `Timeline: ${actor}` : 'Timeline'), h('form', { class: 'controls', onsubmit: (e) => {
      e.preventDefault(); go('timeline', { actor: inActor.value.trim(), since: inSince.value.trim(), until: inUntil.value.trim(), min_confidence: inConf.value || null });
    } }, h('div', {}, h('label', { for: 'tl-actor' }, 'Actor'), inActor), h('div', {}, h('label', { for: 'tl-since' }, 'Since'), inSince),
    h('div', {}, h('label', { for: 'tl-until' }, 'Until'), inUntil), h('div', {}, h('label', { for: 'tl-conf' }, 'Min confidence'), inConf),
    h('div', {}, h('button', { type: 'submit' }, 'Show'))));
    const data = await api('timeline', { actor, since, until, min_confidence: minConf || null });
    if (!data.events.length) { append(view, h('p', { class: 'muted' }, 'No dated events.')); return; }
    append(view, h('p', { class: 'summary', role: 'status' }, `${data.events.length} dated events, oldest first`));
    let month = null; let list = null;
    for (const ev of data.events) {
      const m = (ev.date || '').slice(0, 7);
      if (m !== month) { month = m; list = h('ol', { class: 'events timeline' }); append(view, h('h2', {}, m), list); }
      list.appendChild(eventCard(ev));
    }
  }

  // ------------------------------------------------------------------ brief

  /** Actor ids typed as "KAZ RUS" or "KAZ, RUS". */
  function splitActors(text) { return (text || '').split(/[\s,]+/).map((a) => a.trim()).filter(Boolean); }

  async function pageBrief(view, _arg, params) {
    const actors = splitActors(params.get('actors'));
    const about = params.get('about') || ''; const since = params.get('since') || ''; const until = params.get('until') || '';
    const inActors = h('input', { id: 'brief-actors', name: 'actors', value: actors.join(' '), placeholder: 'e.g. KAZ RUS', size: 16 });
    const inAbout = h('input', { id: 'brief-about', name: 'about', value: about, placeholder: 'question or topic (optional)', size: 30 });
    const inSince = h('input', { id: 'brief-since', name: 'since', value: since, placeholder: 'YYYY-MM', size: 10 });
    const inUntil = h('input', { id: 'brief-until', name: 'until', value: until, placeholder: 'YYYY-MM', size: 10 });
    const form = h('form', { class: 'controls', onsubmit: (e) => {
      e.preventDefault();
      go('brief', { actors: splitActors(inActors.value).join(' '), about: inAbout.value.trim(), since: inSince.value.trim(), until: inUntil.value.trim() });
    } },
    h('div', {}, h('label', { for: 'brief-actors' }, 'Actors'), inActors),
    h('div', { class: 'grow' }, h('label', { for: 'brief-about' }, 'About'), inAbout),
    h('div', {}, h('label', { for: 'brief-since' }, 'Since'), inSince), h('div', {}, h('label', { for: 'brief-until' }, 'Until'), inUntil),
    h('div', {}, h('button', { type: 'submit' }, 'Make brief')));
    if (!actors.length && !about) {
      append(view, heading('Brief'), form, h('p', { class: 'muted' },
        'Give actors (e.g. KAZ RUS) and/or a question or topic. The brief is extractive: every sentence is quoted from a source, with its citation and a link to the passage.'));
      return;
    }
    const query = { actors, about, since, until };
    const brief = await api('brief', query);
    const labels = brief.actor_labels || {};
    const sources = new Map(brief.sources.map((s) => [s.n, s]));
    const download = (fmt, label) => h('a', { href: `/api/brief${queryString({ ...query, format: fmt })}`, download: `brief-${actors.join('-') || 'about'}.${fmt}`, class: 'download' }, label);
    append(view, heading(brief.title), form,
      meta(`Generated ${brief.generated_at}`, `from ${brief.considered} items`, brief.about ? `question: ${brief.about}` : null,
        `${brief.sources.length} sources cited`),
      h('p', { class: 'actions downloads' }, 'Download: ', download('md', 'Markdown'), ' · ', download('html', 'HTML'), ' · ', download('pdf', 'PDF')),
      h('p', { class: 'muted' }, 'Every sentence below is quoted from a source. [n] opens the cited item with the sentence marked; “passage” opens it on the page it was read from.'));
    for (const note of brief.notes || []) append(view, h('p', { class: 'muted note' }, note));
    if (brief.summary && brief.summary.length) {
      append(view, h('section', { class: 'brief-section', 'aria-labelledby': 'brief-summary-h' },
        h('h2', { id: 'brief-summary-h' }, `Summary (generated by ${brief.summary_model || 'a model'} from the extracts below)`),
        h('p', {}, brief.summary.map((s) => [s.text, ' ', (s.cites || []).map((n) => [citeLink(n, sources), ' '])]))));
    }
    append(view, briefEvents(brief, sources, labels));
    const relation = brief.relation ? h('section', { class: 'brief-section', 'aria-labelledby': 'brief-rel-h' }) : null;
    if (relation) append(view, relation);
    append(view, briefArguments(brief, sources), briefSources(brief));
    if (relation) await briefRelation(view, relation, brief, labels);
  }

  /** "[n]" linking to the item reader with the sentence marked, named for screen readers by its source. */
  function citeLink(n, sources, x) {
    const s = sources.get(n);
    const id = x ? x.item_id : s && s.item_id;
    const name = s ? `Source ${n}: ${[s.publisher, s.title, s.date].filter(Boolean).join(', ')}` : `Source ${n}`;
    if (!id) return h('span', { class: 'cite', title: name }, `[${n}]`);
    const href = `${itemHref(id)}${x ? `?start=${enc(x.start)}&end=${enc(x.end)}` : ''}`;
    return h('a', { href, class: 'cite', 'aria-label': name, title: name }, `[${n}]`);
  }

  /** The evidence span: the passage on the page it was read from, else in the item text. */
  function spanLink(x) {
    const href = x.page_id !== null && x.page_id !== undefined && x.page_start !== null && x.page_start !== undefined
      ? `#/page/${enc(x.page_id)}?start=${enc(x.page_start)}&end=${enc(x.page_end)}`
      : `${itemHref(x.item_id)}?start=${enc(x.start)}&end=${enc(x.end)}`;
    return h('a', { href, class: 'span-link', title: `characters ${x.start}–${x.end} of item ${x.item_id}` }, 'passage');
  }

  /** One cited sentence: the extract, its [n] and its passage link. */
  function extractNodes(x, sources) {
    return [h('q', { class: 'extract' }, x.text), ' ', citeLink(x.cite, sources, x), ' ', h('span', { class: 'span' }, '(', spanLink(x), ')')];
  }

  function briefEvents(brief, sources, labels) {
    const section = h('section', { class: 'brief-section', 'aria-labelledby': 'brief-events-h' },
      h('h2', { id: 'brief-events-h' }, `Key events (${brief.events.length})`));
    const others = brief.other_events || [];
    if (!brief.events.length && !others.length) { section.appendChild(h('p', { class: 'muted' }, 'No coded events match.')); return section; }
    const side = (ids) => (ids.length ? ids.flatMap((a, i) => [i ? ', ' : null, actorLink(a, labels[a] || a)]) : [h('span', { class: 'muted' }, '?')]);
    const lists = [];
    // The server's order: dated events by date, then the undated by relevance to the actors asked about.
    const show = (list, events, order) => {
      const shown = order === 'salience' ? [...events].sort((a, b) => b.salience - a.salience) : events;
      clear(list);
      for (const ev of shown) {
        list.appendChild(h('li', { class: 'event' },
          h('p', { class: 'event-head' }, ev.date ? h('time', { datetime: ev.date }, ev.date) : h('span', { class: 'muted' }, ev.date_raw ? `${ev.date_raw} (year not given)` : 'undated'),
            ev.dated_by === 'item' ? h('span', { class: 'muted' }, ' (publication date)') : null, ' ',
            h('strong', {}, ev.type), ' ', quadBadge(ev.quad),
            h('span', { class: 'muted' }, ` · intensity ${ev.intensity > 0 ? '+' : ''}${ev.intensity} · ${ev.sources} source${ev.sources === 1 ? '' : 's'} · salience ${ev.salience}`)),
          h('p', { class: 'event-actors' }, side(ev.source_actors), ' → ', side(ev.target_actors)),
          ev.evidence.map((x) => h('p', { class: 'evidence-quote' }, extractNodes(x, sources)))));
      }
    };
    const order = h('select', { id: 'brief-order', onchange: () => lists.forEach(([list, events]) => show(list, events, order.value)) },
      h('option', { value: 'date' }, 'dated by date, then undated by relevance'), h('option', { value: 'salience' }, 'most salient first'));
    append(section, h('p', { class: 'order' }, h('label', { for: 'brief-order' }, 'Order '), order));
    if (brief.events.length) {
      const list = h('ol', { class: 'events timeline brief-events', id: 'brief-key-events' });
      lists.push([list, brief.events]);
      append(section, list);
    } else section.appendChild(h('p', { class: 'muted' }, 'No coded events between them.'));
    if (others.length) {
      const names = (brief.actor_names || brief.actors || []).join(' and ');
      const list = h('ol', { class: 'events timeline brief-events', id: 'brief-other-events' });
      lists.push([list, others]);
      append(section, h('h3', { id: 'brief-other-h' }, `Other events, involving only one of ${names} (${others.length})`), list);
    }
    lists.forEach(([list, events]) => show(list, events, 'date'));
    return section;
  }

  async function briefRelation(view, section, brief, labels) {
    const rel = brief.relation;
    const names = `${labels[rel.a] || rel.a} – ${labels[rel.b] || rel.b}`;
    append(section, h('h2', { id: 'brief-rel-h' }, `Relations ${names}`));
    // The per-quad series the Relations page charts, over the brief's period and granularity.
    let series;
    try {
      series = await api('relations', { a: rel.a, b: rel.b, by: rel.by, since: brief.since, until: brief.until });
    } catch (error) { section.appendChild(alertBox(error.message)); return; }
    const explore = h('p', { class: 'actions' }, h('a', { href: `#/relations?${new URLSearchParams({ a: rel.a, b: rel.b, by: rel.by, ...(brief.since ? { since: brief.since } : {}) })}` }, 'Explore these events on the Relations page'),
      rel.unplaced ? h('span', { class: 'muted' }, ` · ${rel.unplaced} events without a usable date are not shown`) : null);
    if (!series.periods.length) { append(section, h('p', { class: 'muted' }, 'No dated events between them.'), explore); return; }
    const chart = h('div', { class: 'chart small', id: 'brief-relation-chart', role: 'img', 'aria-label': `Events per ${series.by} between ${names}, stacked by quad class; the table below has the same figures` });
    const table = h('table', { class: 'data' }, h('caption', {}, `Events per ${series.by}`),
      h('thead', {}, h('tr', {}, [series.by, 'Events', 'Summed intensity'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rel.periods.map((p) => h('tr', {}, h('th', { scope: 'row' }, p.period), h('td', { class: 'num' }, String(p.count)),
        h('td', { class: 'num' }, `${p.intensity > 0 ? '+' : ''}${p.intensity}`)))));
    append(section, chart, explore, h('details', { class: 'table-wrap' }, h('summary', {}, 'Figures as a table'), table));
    // A click on a bar opens the Relations page, which lists each period's events.
    const spec = relationSpec(series, 'combined');
    spec.encoding.y.title = 'events (conflict < 0)'; // the long title does not fit the shorter chart
    view.addEventListener('mounted', () => embed(chart, { ...spec, height: 220 }, () => {
      window.location.hash = `#/relations?${new URLSearchParams({ a: rel.a, b: rel.b, by: series.by })}`;
    }));
  }

  function briefArguments(brief, sources) {
    const section = h('section', { class: 'brief-section', 'aria-labelledby': 'brief-args-h' }, h('h2', { id: 'brief-args-h' }, 'What the sources argue'));
    if (!brief.themes.length) section.appendChild(h('p', { class: 'muted' }, 'No matching extracts.'));
    for (const theme of brief.themes) {
      section.appendChild(h('section', { class: 'theme' }, h('h3', {}, theme.label || theme.theme),
        h('ul', { class: 'extracts' }, theme.extracts.map((x) => h('li', {}, extractNodes(x, sources))))));
    }
    if (brief.disagreements.length) {
      const pairs = h('div', { class: 'disagreements', role: 'list' });
      const side = (x, label) => h('div', { class: `side ${label === 'Ties loosening' ? 'loosening' : 'tightening'}` },
        h('p', { class: 'side-label' }, label), h('p', {}, extractNodes(x, sources)),
        x.cues && x.cues.length ? h('p', { class: 'meta' }, `cues: ${x.cues.join(', ')}`) : null);
      for (const d of brief.disagreements) {
        pairs.appendChild(h('div', { class: 'pair', role: 'listitem' }, side(d.loosening, 'Ties loosening'), side(d.tightening, 'Ties tightening')));
      }
      section.appendChild(h('section', { class: 'theme' }, h('h3', {}, 'Disagreements, side by side'), pairs));
    }
    return section;
  }

  function briefSources(brief) {
    const section = h('section', { class: 'brief-section', 'aria-labelledby': 'brief-sources-h' }, h('h2', { id: 'brief-sources-h' }, `Sources (${brief.sources.length})`));
    section.appendChild(h('ol', { class: 'sources' }, brief.sources.map((s) => h('li', { id: `ref-${s.n}`, value: s.n },
      h('a', { href: itemHref(s.item_id) }, titleOf(s)), meta(s.publisher || 'unknown publisher', s.date || 'undated', s.kind,
        s.url ? externalLink(s.url, 'original') : null)))));
    const counts = Object.entries(brief.publishers || {});
    if (counts.length) {
      section.appendChild(h('table', { class: 'data publishers' }, h('caption', {}, 'Cited items by publisher'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Publisher'), h('th', { scope: 'col' }, 'Items'))),
        h('tbody', {}, counts.map(([p, n]) => h('tr', {}, h('th', { scope: 'row' }, p), h('td', { class: 'num' }, String(n)))))));
    }
    return section;
  }

  // ------------------------------------------------------------------ watchlists

  async function pageWatchlists(view) {
    const data = await api('watchlists');
    append(view, heading('Watchlists'), h('p', { class: 'muted' },
      'Saved queries (steppe watch add NAME --actor … --type … --query …). Each is an Atom feed any feed reader can subscribe to.'));
    if (!data.watchlists.length) { append(view, h('p', { class: 'muted' }, 'No watchlists yet.')); return; }
    append(view, h('div', { class: 'table-wrap' }, h('table', { class: 'data' }, h('caption', {}, 'Watchlists'),
      h('thead', {}, h('tr', {}, ['Name', 'Actor', 'Event type', 'Query', 'Last checked', 'Feed'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, data.watchlists.map((w) => h('tr', {}, h('th', { scope: 'row' }, w.name),
        h('td', {}, w.actor ? actorLink(w.actor, w.actor) : ''), h('td', {}, w.type || ''), h('td', {}, w.query || ''),
        h('td', {}, w.last_checked || 'never'),
        h('td', {}, h('a', { href: `/feeds/${enc(w.name)}.atom`, type: 'application/atom+xml' }, 'Atom feed'))))))));
  }

  // ------------------------------------------------------------------ network

  const NETWORK_LABELS = 12; // labels drawn for the best-connected actors; the rest on hover
  const TYPE_LABEL = { country: 'countries', government: 'governments', person: 'people', organisation: 'organisations', place: 'places', other: 'other' };

  async function pageNetwork(view, _arg, params) {
    const since = params.get('since') || ''; const minWeight = params.get('min_weight') || '1';
    const kinds = params.get('kinds') || 'co-mention,event';
    const hidden = new Set((params.get('hide') || '').split(',').filter(Boolean));
    const focus = params.get('focus') || '';
    const data = await api('network', { since, min_weight: minWeight });
    const types = [...new Set(data.nodes.map((n) => n.type || 'other'))].sort();
    const inSince = h('input', { id: 'net-since', value: since, placeholder: 'YYYY-MM', size: 10 });
    const inMin = h('input', { id: 'net-min', type: 'number', min: '1', value: minWeight, size: 4 });
    const inCo = h('input', { id: 'net-co', type: 'checkbox', checked: kinds.includes('co-mention') });
    const inEv = h('input', { id: 'net-ev', type: 'checkbox', checked: kinds.includes('event') });
    const typeBoxes = types.map((t) => h('input', { id: `net-type-${t}`, type: 'checkbox', value: t, checked: !hidden.has(t) }));
    const byLabel = [...data.nodes].sort((x, y) => x.label.localeCompare(y.label));
    const inFocus = h('select', { id: 'net-focus' }, h('option', { value: '' }, 'the whole network'),
      byLabel.map((n) => h('option', { value: n.id, selected: n.id === focus }, n.label)));
    const state = () => ({
      since: inSince.value.trim(), min_weight: inMin.value,
      kinds: [inCo.checked ? 'co-mention' : null, inEv.checked ? 'event' : null].filter(Boolean).join(',') || 'none',
      hide: typeBoxes.filter((b) => !b.checked).map((b) => b.value).join(','), focus: inFocus.value,
    });
    const form = h('form', { class: 'controls', onsubmit: (e) => { e.preventDefault(); go('network', state()); } },
      h('div', {}, h('label', { for: 'net-since' }, 'Since'), inSince), h('div', {}, h('label', { for: 'net-min' }, 'Minimum weight'), inMin),
      h('div', { class: 'check' }, inCo, h('label', { for: 'net-co' }, 'co-mentions')),
      h('div', { class: 'check' }, inEv, h('label', { for: 'net-ev' }, 'events')),
      h('div', {}, h('label', { for: 'net-focus' }, 'Around'), inFocus),
      h('div', {}, h('button', { type: 'submit' }, 'Show')));
    const typeFilter = h('fieldset', { class: 'controls types' }, h('legend', {}, 'Actor types'),
      types.map((t, i) => h('div', { class: 'check' }, typeBoxes[i], h('label', { for: `net-type-${t}` }, TYPE_LABEL[t] || t))));
    for (const box of [...typeBoxes, inFocus]) box.addEventListener('change', () => go('network', state()));
    append(view, heading('Network'), form, typeFilter);

    // What is drawn: the kinds of link asked for, between actors of the types shown; around
    // an actor, that actor and its direct neighbours.
    let nodes = data.nodes.filter((n) => !hidden.has(n.type || 'other'));
    const shown = new Set(nodes.map((n) => n.id));
    let edges = data.edges.filter((e) => kinds.includes(e.kind) && shown.has(e.source) && shown.has(e.target));
    const centre = focus && shown.has(focus) ? data.nodes.find((n) => n.id === focus) : null;
    if (centre) {
      const near = new Set([focus]);
      for (const e of edges) { if (e.source === focus) near.add(e.target); if (e.target === focus) near.add(e.source); }
      nodes = nodes.filter((n) => near.has(n.id));
      edges = edges.filter((e) => near.has(e.source) && near.has(e.target));
    }
    const degree = new Map(nodes.map((n) => [n.id, 0]));
    for (const e of edges) { degree.set(e.source, degree.get(e.source) + 1); degree.set(e.target, degree.get(e.target) + 1); }
    const labelled = new Set(centre ? nodes.map((n) => n.id)
      : [...nodes].sort((x, y) => degree.get(y.id) - degree.get(x.id) || y.count - x.count).slice(0, NETWORK_LABELS).map((n) => n.id));
    const status = centre
      ? [`${nodes.length - 1} actors linked to `, actorLink(centre.id, centre.label), ` by ${edges.length} links. `, h('a', { href: '#/network', onclick: (e) => { e.preventDefault(); inFocus.value = ''; go('network', state()); } }, 'Show the whole network')]
      : [`${nodes.length} actors, ${edges.length} links${data.truncated ? ' (the most connected actors only)' : ''}. Names shown for the ${Math.min(NETWORK_LABELS, nodes.length)} best connected; hover for the others; click an actor to lay out its cluster.`];
    append(view, h('p', { class: 'summary', role: 'status' }, status));
    const graph = h('div', { class: 'graph', id: 'network-graph', role: 'img', 'aria-label': 'Actor network graph; the table below lists the same links' });
    const nodeLabel = new Map(data.nodes.map((n) => [n.id, n.label]));
    const table = h('table', { class: 'data' }, h('caption', {}, 'Strongest links'),
      h('thead', {}, h('tr', {}, ['From', 'To', 'Kind', 'Weight'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, [...edges].sort((x, y) => y.weight - x.weight).slice(0, 100).map((e) => h('tr', {},
        h('td', {}, actorLink(e.source, nodeLabel.get(e.source))), h('td', {}, actorLink(e.target, nodeLabel.get(e.target))),
        h('td', {}, e.kind === 'event' ? h('a', { href: `#/relations?a=${enc(e.source)}&b=${enc(e.target)}` }, 'events') : 'co-mention'),
        h('td', { class: 'num' }, String(e.weight))))));
    append(view, graph, h('details', { class: 'table-wrap' }, h('summary', {}, 'Links as a table'), table));
    if (!window.cytoscape) { graph.appendChild(alertBox('The graph library did not load.')); return; }
    view.addEventListener('mounted', () => {
      const maxCount = Math.max(1, ...nodes.map((n) => n.count));
      const maxWeight = Math.max(1, ...edges.map((e) => e.weight));
      cy = window.cytoscape({
        container: graph,
        elements: [
          ...nodes.map((n) => ({ data: { id: n.id, label: n.label, type: n.type || 'other', size: 18 + 42 * Math.sqrt(n.count / maxCount) }, classes: labelled.has(n.id) ? 'labelled' : '' })),
          ...edges.map((e, i) => ({ data: { id: `e${i}`, source: e.source, target: e.target, kind: e.kind, width: 1 + 7 * (e.weight / maxWeight) } })),
        ],
        style: [
          { selector: 'node', style: { label: '', width: 'data(size)', height: 'data(size)', 'background-color': '#4a6fa5', 'font-size': 15, color: '#1a1a1a', 'text-valign': 'bottom', 'text-margin-y': 3, 'text-background-color': '#fff', 'text-background-opacity': 0.8, 'text-background-padding': 1 } },
          { selector: 'node.labelled, node.hover', style: { label: 'data(label)' } },
          { selector: 'node.hover', style: { 'z-index': 10, 'font-weight': 'bold', 'border-width': 2, 'border-color': '#1a1a1a' } },
          { selector: `node[id = ${JSON.stringify(focus)}]`, style: { 'border-width': 3, 'border-color': '#1a1a1a' } },
          { selector: 'node[type = "person"]', style: { 'background-color': '#c27c0e' } },
          { selector: 'node[type = "organisation"]', style: { 'background-color': '#7b4fa0', shape: 'round-rectangle' } },
          { selector: 'node[type = "place"]', style: { 'background-color': '#5b8c5a', shape: 'diamond' } },
          { selector: 'node[type = "government"]', style: { 'background-color': '#2b6c8f', shape: 'hexagon' } },
          { selector: 'edge', style: { width: 'data(width)', 'line-color': '#9aa5b1', 'curve-style': 'bezier', opacity: 0.6 } },
          { selector: 'edge[kind = "event"]', style: { 'line-color': '#b2182b', 'target-arrow-shape': 'triangle', 'target-arrow-color': '#b2182b' } },
        ],
        layout: { name: 'preset' },
      });
      // fcose: a force-directed layout that keeps nodes (and their labels) from overlapping.
      const layout = window.cytoscapeFcose ? 'fcose' : 'cose';
      const options = layout === 'fcose'
        ? { name: 'fcose', quality: 'proof', randomize: true, animate: false, nodeDimensionsIncludeLabels: true,
          nodeRepulsion: () => 60000, idealEdgeLength: () => 170, edgeElasticity: () => 0.1, gravity: 0.08,
          numIter: 4000, nodeSeparation: 120, packComponents: true, tilingPaddingVertical: 30, tilingPaddingHorizontal: 30,
          fixedNodeConstraint: centre ? [{ nodeId: centre.id, position: { x: 0, y: 0 } }] : undefined }
        : { name: 'cose', animate: false, nodeRepulsion: () => 20000, idealEdgeLength: () => 100 };
      cy.layout(options).run();
      separateLabels(cy.nodes('.labelled'), degree, centre ? centre.id : null);
      cy.fit(undefined, 20);
      graph.dataset.layout = layout;
      graph.dataset.labelled = String(labelled.size);
      graph.dataset.nodes = String(nodes.length);
      graph.dataset.overlaps = String(labelOverlaps(cy.nodes('.labelled')));
      cy.on('mouseover', 'node', (event) => {
        const node = event.target;
        node.addClass('hover');
        const at = event.renderedPosition || node.renderedPosition();
        const box = graph.getBoundingClientRect();
        showTooltip(null, { clientX: box.left + at.x, clientY: box.top + at.y }, null,
          `${node.data('label')} · ${TYPE_LABEL[node.data('type')] || node.data('type')} · ${degree.get(node.id())} links`);
      });
      cy.on('mouseout', 'node', (event) => { event.target.removeClass('hover'); hideTooltip(); });
      cy.on('tap', 'node', (event) => {
        const id = event.target.id();
        if (id === focus) window.location.hash = actorHref(id); // a second click opens the actor
        else { inFocus.value = id; go('network', state()); }
      });
    });
  }

  /**
   * Push apart named nodes whose labels still overlap after the layout: the less connected of
   * each pair moves away along the axis that needs the shorter move. Written here because the
   * layouts keep node bodies apart but not the text under them; a few dozen labels need only
   * a few passes. The centre of a cluster stays where the layout fixed it.
   */
  function separateLabels(nodes, degree, pinned) {
    const list = nodes.toArray();
    for (let pass = 0; pass < 60; pass += 1) {
      let moved = false;
      for (let i = 0; i < list.length; i += 1) {
        for (let j = i + 1; j < list.length; j += 1) {
          const a = list[i].boundingBox({ includeLabels: true }); const b = list[j].boundingBox({ includeLabels: true });
          const dx = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1); const dy = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
          if (dx <= 0 || dy <= 0) continue;
          const [still, mover] = (degree.get(list[i].id()) >= degree.get(list[j].id()) && list[j].id() !== pinned) || list[i].id() === pinned
            ? [list[i], list[j]] : [list[j], list[i]];
          const p = mover.position(); const q = still.position();
          if (dx < dy) mover.position({ x: p.x + (p.x >= q.x ? 1 : -1) * (dx + 4), y: p.y });
          else mover.position({ x: p.x, y: p.y + (p.y >= q.y ? 1 : -1) * (dy + 4) });
          moved = true;
        }
      }
      if (!moved) break;
    }
  }

  /** How many pairs of drawn labels overlap (0 when the layout kept them apart). */
  function labelOverlaps(nodes) {
    const boxes = nodes.map((n) => n.boundingBox({ includeLabels: true, includeOverlays: false }));
    let overlaps = 0;
    for (let i = 0; i < boxes.length; i += 1) {
      for (let j = i + 1; j < boxes.length; j += 1) {
        const a = boxes[i]; const b = boxes[j];
        if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) overlaps += 1;
      }
    }
    return overlaps;
  }

  // ------------------------------------------------------------------ start

  if (window.cytoscape && window.cytoscapeFcose) window.cytoscape.use(window.cytoscapeFcose);
  document.getElementById('skip').addEventListener('click', (event) => { event.preventDefault(); main.focus(); });
  window.addEventListener('hashchange', route);
  window.addEventListener('scroll', hideTooltip, { passive: true });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', route); else route();
})();
