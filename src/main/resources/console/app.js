// Vorzimmer console: plain JS, no build step. All text goes through textContent (no HTML from data).
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const state = { me: null, csrf: null, lang: 'de', t: {}, clients: [], calls: new Map(), view: 'calls', events: null };

  // ---------- i18n
  function t(key, vars) {
    let s = state.t[key] || key;
    if (vars) for (const k of Object.keys(vars)) s = s.replace('{' + k + '}', vars[k]);
    return s;
  }
  async function setLang(lang) {
    const r = await fetch('/console/i18n/' + lang + '.json');
    state.t = await r.json();
    state.lang = lang;
    localStorage.setItem('vz.lang', lang);
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll('[data-i18n-placeholder]').forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
    document.querySelectorAll('[data-i18n-title]').forEach((el) => { el.title = t(el.dataset.i18nTitle); });
    document.querySelectorAll('.lang').forEach((b) => b.classList.toggle('on', b.dataset.lang === lang));
    if (state.me) { renderCalls(); renderBoard(); renderInbox(); fillClientSelects(); liveText(); }
  }
  function fmtTime(iso) {
    if (!iso) return '';
    const d = new Date(iso), now = new Date();
    const sameDay = d.toDateString() === now.toDateString();
    const opts = sameDay ? { hour: '2-digit', minute: '2-digit' }
      : { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
    return d.toLocaleString(state.lang === 'de' ? 'de-DE' : 'en-GB', opts);
  }

  // ---------- HTTP
  async function api(method, path, body) {
    const headers = { 'Accept': 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
    const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin' });
    if (r.status === 401 && state.me) { showLogin(); throw new Error(t('login.expired')); }
    const text = await r.text();
    const data = text ? JSON.parse(text) : {};
    if (!r.ok) { const e = new Error(data.error || ('HTTP ' + r.status)); e.data = data; e.status = r.status; throw e; }
    return data;
  }
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function toast(msg) {
    const b = $('toast'); b.textContent = msg; b.hidden = false;
    clearTimeout(toast.timer); toast.timer = setTimeout(() => { b.hidden = true; }, 3500);
  }

  // ---------- login
  function showLogin() {
    state.me = null; state.csrf = null;
    if (state.events) { state.events.close(); state.events = null; }
    $('app-view').hidden = true; $('login-view').hidden = false; $('login-user').focus();
  }
  $('login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('login-error').hidden = true;
    try {
      const me = await api('POST', '/auth/login', { username: $('login-user').value, password: $('login-password').value });
      $('login-password').value = '';
      await enter(me);
    } catch (e) {
      $('login-error').textContent = e.status === 401 ? t('login.wrong')
        : e.status === 429 ? t('login.locked').replace('{minutes}', Math.ceil((e.data.retryAfter || 60) / 60))
          : e.message;
      $('login-error').hidden = false;
    }
  });
  $('logout').addEventListener('click', async () => {
    try { await api('DELETE', '/api/v1/session'); } catch (e) { /* the session may be gone already */ }
    showLogin();
  });

  async function enter(me) {
    state.me = me; state.csrf = me.csrf;
    $('login-view').hidden = true; $('app-view').hidden = false;
    $('who-name').textContent = me.name || me.user;
    document.body.classList.toggle('is-admin', me.role === 'admin');
    await loadClients();
    connectEvents();
    show(state.view);
  }

  // ---------- navigation
  document.querySelectorAll('.tab').forEach((b) => b.addEventListener('click', () => show(b.dataset.view)));
  function show(view) {
    state.view = view;
    document.querySelectorAll('.view').forEach((v) => { v.hidden = v.id !== 'view-' + view; });
    document.querySelectorAll('.tab').forEach((b) => b.classList.toggle('on', b.dataset.view === view));
    if (view === 'inbox') loadInbox();
    if (view === 'board') loadClients();
    if (view === 'admin') loadAdmin();
  }

  // ---------- live calls (server-sent events)
  function connectEvents() {
    if (state.events) state.events.close();
    const es = new EventSource('/api/v1/events');
    state.events = es;
    es.onopen = () => setLive(true);
    es.onerror = () => setLive(false);
    es.addEventListener('call', (m) => onCall(JSON.parse(m.data)));
    es.addEventListener('alert', (m) => onAlert(JSON.parse(m.data)));
  }

  // Alerts for every secretary, e.g. a client's phone-in locked after wrong PINs. They stay until dismissed.
  function onAlert(a) {
    const box = $('alerts');
    const item = el('div', 'alert');
    const until = a.until ? new Date(a.until).toLocaleTimeString(state.lang, { hour: '2-digit', minute: '2-digit' }) : '';
    const text = a.type === 'phonein-locked'
      ? t('alert.phoneinLocked').replace('{client}', clientName(a.client)).replace('{failures}', a.failures)
        .replace('{until}', until)
      : a.type === 'login-locked'
        ? t(a.user ? 'alert.loginLocked' : 'alert.loginAddressLocked').replace('{user}', a.user)
          .replace('{address}', a.address).replace('{failures}', a.failures).replace('{until}', until)
        : (a.text || a.type);
    item.append(el('span', 'alert-text', text));
    const close = el('button', 'alert-close', '×');
    close.setAttribute('aria-label', t('alert.dismiss'));
    close.addEventListener('click', () => item.remove());
    item.append(close);
    box.prepend(item);
    if (state.view !== 'calls') show('calls');
  }

  function clientName(id) {
    const c = (state.clients || []).find((x) => x.id === id);
    return c ? c.name : id;
  }
  function setLive(on) { $('live').classList.toggle('on', on); state.live = on; liveText(); }
  function liveText() { $('live-text').textContent = state.live ? t('live.on') : t('live.off'); }

  function onCall(ev) {
    const id = ev.callId;
    if (!id) return;
    const known = state.calls.get(id) || {};
    const merged = Object.assign({}, known, ev.state === 'ringing' ? ev : {}, { state: ev.state, answeredBy: ev.answeredBy });
    if (ev.state === 'ringing' && !known.callId) merged.since = Date.now();
    state.calls.set(id, merged);
    if (ev.state !== 'ringing') setTimeout(() => { state.calls.delete(id); renderCalls(); }, 8000);
    renderCalls();
    if (ev.state === 'ringing' && state.view !== 'calls') show('calls');
  }

  const CLASS_LABEL = { vip: 'caller.vip', known: 'caller.known', unknown: 'caller.unknown', anonymous: 'caller.anonymous',
    blocked: 'caller.blocked', expected: 'caller.expected' };

  function statusPill(st) {
    if (!st) return el('span');
    const p = el('span', 'pill st-' + st.now, t('status.' + st.now));
    return p;
  }
  function statusLine(st) {
    const box = el('div', 'status-line');
    box.append(statusPill(st));
    if (st && st.nextAt) box.append(el('span', 'muted', t('status.until', { time: fmtTime(st.nextAt), next: t('status.' + st.next) })));
    if (st && st.note) box.append(el('span', 'note', '„' + st.note + '“'));
    if (window.VZCalendar) window.VZCalendar.statusExtras(box, st);
    return box;
  }

  function renderCalls() {
    const box = $('calls');
    box.textContent = '';
    const calls = [...state.calls.values()].filter((c) => c.callId).sort((a, b) => (b.since || 0) - (a.since || 0));
    $('calls-empty').hidden = calls.length > 0;
    for (const c of calls) box.append(callCard(c));
  }

  function callCard(c) {
    const card = el('article', 'call-card state-' + c.state);
    card.dataset.callId = c.callId;
    const head = el('div', 'call-head');
    const title = el('div');
    title.append(el('div', 'call-kicker', c.state === 'ringing' ? t('calls.ringing') : t('callstate.' + c.state, { who: c.answeredBy || '' })));
    title.append(el('h2', 'call-client', c.clientName || c.display || t('calls.unknownLine')));
    head.append(title);
    head.append(statusLine(c.clientStatus));
    card.append(head);

    if (c.greeting) {
      const g = el('div', 'greeting');
      g.append(el('div', 'label', t('calls.say')));
      g.append(el('div', 'greeting-text', c.greeting));
      card.append(g);
    }
    const who = c.caller || {};
    const caller = el('div', 'caller');
    const name = el('div', 'caller-name', who.name || who.contact || (who.number ? who.number : t('caller.anonymous')));
    caller.append(name);
    const meta = el('div', 'caller-meta');
    if (who.number && (who.name || who.contact)) meta.append(el('span', 'number', who.number));
    if (who.class) meta.append(el('span', 'badge cls-' + who.class, t(CLASS_LABEL[who.class] || who.class)));
    caller.append(meta);
    card.append(caller);

    if (who.earlier && who.earlier.length) {
      const e = el('div', 'earlier');
      e.append(el('div', 'label', t('calls.earlier', { n: who.earlier.length })));
      const ul = el('ul');
      for (const m of who.earlier) {
        const li = el('li');
        li.append(el('span', 'muted', fmtTime(m.at) + ' · '));
        if (m.urgent) li.append(el('span', 'badge urgent', t('inbox.urgent')));
        li.append(el('span', null, ' ' + (m.text || t('kind.' + m.kind))));
        ul.append(li);
      }
      e.append(ul);
      card.append(e);
    } else if (who.number) {
      card.append(el('div', 'earlier muted', t('calls.noEarlier')));
    }

    if (window.VZCalendar && c.client) card.append(window.VZCalendar.callPanel(c));
    if (c.state === 'ringing') {
      const actions = el('div', 'actions call-actions');
      const put = el('button', 'btn primary', t('calls.putThrough'));
      put.dataset.choice = 'put-through';
      const msg = el('button', 'btn', t('calls.takeMessage'));
      msg.dataset.choice = 'message';
      const vm = el('button', 'btn ghost', t('calls.voicemail'));
      vm.dataset.choice = 'voicemail';
      for (const b of [put, msg, vm]) {
        b.addEventListener('click', () => choose(c, b.dataset.choice));
        actions.append(b);
      }
      card.append(actions);
    }
    if (c.choice) card.append(el('div', 'choice', c.choice));
    return card;
  }

  async function choose(c, choice) {
    if (choice === 'message') openMessageForm({ client: c.client, number: (c.caller || {}).number, name: (c.caller || {}).name, callId: c.callId });
    try {
      const r = await api('POST', '/api/v1/calls/' + encodeURIComponent(c.callId) + '/choice', { choice });
      // not carried out: the server says why (no phone system answered, the call no longer rings, ...)
      const key = r.carriedOut ? 'calls.done' : (r.reason ? 'calls.notCarriedOut' : 'calls.recorded');
      c.choice = t(key, { what: t('choice.' + choice), reason: r.reason || '' });
      renderCalls();
    } catch (e) { toast(e.message); }
  }

  // ---------- message form
  function fillClientSelects() {
    const opts = (sel, withAll) => {
      const keep = sel.value;
      sel.textContent = '';
      if (withAll) sel.append(new Option(t('inbox.allClients'), ''));
      for (const c of state.clients) sel.append(new Option(c.name, c.id));
      if (keep) sel.value = keep;
    };
    opts($('mf-client'), false);
    opts($('f-client'), true);
  }
  function renderIntake() {
    const box = $('mf-intake');
    box.textContent = '';
    const c = state.clients.find((x) => x.id === $('mf-client').value);
    for (const f of (c && c.intake) || []) {
      const l = el('label');
      l.append(el('span', null, f.name + (f.required ? ' *' : '')));
      const i = el('input');
      i.dataset.intake = f.name; i.required = !!f.required; i.maxLength = 500;
      l.append(i);
      box.append(l);
    }
  }
  $('mf-client').addEventListener('change', renderIntake);
  function openMessageForm(pre) {
    show('calls');
    $('message-panel').hidden = false;
    if (pre.client) $('mf-client').value = pre.client;
    $('mf-number').value = pre.number || '';
    $('mf-name').value = pre.name || '';
    $('mf-text').value = '';
    $('mf-urgent').checked = false; $('mf-callback').checked = !!pre.number;
    $('message-form').dataset.callId = pre.callId || '';
    $('mf-error').hidden = true;
    renderIntake();
    $('mf-text').focus();
  }
  $('inbox-new').addEventListener('click', () => openMessageForm({}));
  $('mf-cancel').addEventListener('click', () => { $('message-panel').hidden = true; });
  $('message-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const intake = {};
    document.querySelectorAll('#mf-intake input').forEach((i) => { if (i.value.trim()) intake[i.dataset.intake] = i.value.trim(); });
    // The messages API's field names (console/MessagesApi).
    const body = { client: $('mf-client').value, text: $('mf-text').value.trim(), urgent: $('mf-urgent').checked,
      callback: $('mf-callback').checked };
    if ($('mf-number').value.trim()) body.caller_number = $('mf-number').value.trim();
    if ($('mf-name').value.trim()) body.caller_name = $('mf-name').value.trim();
    if (Object.keys(intake).length) body.intake = intake;
    try {
      const r = await api('POST', '/api/v1/messages', body);
      $('message-panel').hidden = true;
      toast(body.urgent ? t('form.savedUrgent') : t('form.saved'));
      document.body.dataset.lastMessage = String(r.id || (r.message && r.message.id) || '');
    } catch (e) {
      $('mf-error').textContent = e.message; $('mf-error').hidden = false;
    }
  });

  // ---------- inbox
  ['f-client', 'f-state', 'f-urgent'].forEach((id) => $(id).addEventListener('change', loadInbox));
  async function loadInbox() {
    const q = new URLSearchParams();
    if ($('f-client').value) q.set('client', $('f-client').value);
    if ($('f-state').value) q.set('state', $('f-state').value);
    if ($('f-urgent').checked) q.set('urgent', 'true');
    try {
      const r = await api('GET', '/api/v1/messages?' + q.toString());
      state.inbox = Array.isArray(r) ? r : (r.messages || []);
      $('inbox-error').hidden = true;
    } catch (e) { state.inbox = []; $('inbox-error').textContent = e.message; $('inbox-error').hidden = false; }
    renderInbox();
  }
  function renderInbox() {
    const box = $('inbox');
    if (!state.inbox) return;
    box.textContent = '';
    if (!state.inbox.length) { box.append(el('div', 'empty', t('inbox.empty'))); return; }
    const names = Object.fromEntries(state.clients.map((c) => [c.id, c.name]));
    for (const m of state.inbox) {
      const row = el('article', 'msg' + (m.urgent ? ' is-urgent' : '') + ' st-' + m.state);
      row.dataset.id = m.id;
      const top = el('div', 'msg-top');
      top.append(el('span', 'msg-client', names[m.client] || m.client || t('calls.unknownLine')));
      if (m.urgent) top.append(el('span', 'badge urgent', t('inbox.urgent')));
      top.append(el('span', 'badge state', t('state.' + m.state)));
      top.append(el('span', 'muted right', fmtTime(m.created_at || m.createdAt)));
      row.append(top);
      const caller = [m.caller_name || m.callerName, m.caller_number || m.callerNumber].filter(Boolean).join(' · ');
      row.append(el('div', 'msg-caller', caller || t('caller.anonymous')));
      row.append(el('div', 'msg-text', m.text || t('kind.' + m.kind)));
      const intake = m.intake || {};
      for (const k of Object.keys(intake)) row.append(el('div', 'msg-intake', k + ': ' + intake[k]));
      const acts = el('div', 'actions');
      const next = { new: ['read', 'done'], notified: ['read', 'done'], read: ['done'], done: [] }[m.state] || ['done'];
      for (const s of next) {
        const b = el('button', 'btn small' + (s === 'done' ? '' : ' ghost'), t('inbox.mark.' + s));
        b.addEventListener('click', async () => {
          try { await api('POST', '/api/v1/messages/' + m.id + '/state', { state: s, by: state.me.user }); loadInbox(); } catch (e) { toast(e.message); }
        });
        acts.append(b);
      }
      const num = m.caller_number || m.callerNumber;
      if (num) {
        const cb = el('button', 'btn small ghost', t('inbox.callback'));
        cb.addEventListener('click', async () => {
          try { await api('POST', '/api/v1/callbacks', { secretary: state.me.secretary, number: num }); toast(t('inbox.callbackStarted', { number: num })); }
          catch (e) { toast(e.message); }
        });
        acts.append(cb);
      }
      row.append(acts);
      box.append(row);
    }
  }

  // ---------- client board
  async function loadClients() {
    try {
      const r = await api('GET', '/api/v1/clients');
      state.clients = r.clients;
      state.secretaries = r.secretaries || [];
      $('board-at').textContent = t('board.at', { time: fmtTime(r.at) });
      fillClientSelects();
      renderBoard();
    } catch (e) { toast(e.message); }
  }
  const DURATIONS = [['30m', 30], ['1h', 60], ['2h', 120], ['today', 'today'], ['open', null]];
  function untilFrom(d) {
    if (d === null) return null;
    if (d === 'today') { const x = new Date(); x.setHours(23, 59, 0, 0); return x.toISOString(); }
    return new Date(Date.now() + d * 60000).toISOString();
  }
  function renderBoard() {
    const box = $('board');
    // A duration picker or expect form the secretary has open survives a refresh of the board (same node:
    // what she typed stays); it is closed when she saves or opens another one.
    const openPicker = box.querySelector('.client-row .picker');
    const openFor = openPicker ? openPicker.closest('.client-row').dataset.client : null;
    box.textContent = '';
    for (const c of state.clients) {
      const row = el('article', 'client-row');
      row.dataset.client = c.id;
      const left = el('div', 'client-main');
      left.append(el('div', 'client-name', c.name));
      left.append(el('div', 'muted small', c.lines.join(', ')));
      row.append(left);
      const st = el('div', 'client-status');
      st.append(statusLine(c.status));
      for (const x of c.expected || []) {
        st.append(el('div', 'expected', t('board.expecting', { number: x.number }) + (x.until ? ' · ' + t('board.till', { time: fmtTime(x.until) }) : '') + (x.note ? ' · ' + x.note : '')));
      }
      row.append(st);
      const acts = el('div', 'client-actions');
      for (const s of ['available', 'unavailable', 'dnd', 'schedule']) {
        const b = el('button', 'btn small set-' + s, t('set.' + s));
        b.dataset.status = s;
        b.addEventListener('click', () => pickDuration(row, (until) => api('POST', '/api/v1/clients/' + c.id + '/status', { status: s, until }), s === 'schedule'));
        acts.append(b);
      }
      const ex = el('button', 'btn small ghost', t('board.expect'));
      ex.dataset.action = 'expect';
      ex.addEventListener('click', () => expectForm(row, c));
      acts.append(ex);
      row.append(acts);
      if (c.id === openFor) row.append(openPicker);
      box.append(row);
    }
  }
  // Second click: how long. "schedule" needs no duration, so it is one click.
  function pickDuration(row, send, immediate) {
    $('board').querySelectorAll('.picker').forEach((p) => p.remove());
    const p = el('div', 'picker');
    const run = async (until) => {
      try { await send(until); p.remove(); toast(t('board.saved')); await loadClients(); } catch (e) { toast(e.message); }
    };
    if (immediate) { run(null); return; }
    p.append(el('span', 'muted', t('board.howLong')));
    for (const [key, d] of DURATIONS) {
      const b = el('button', 'btn small ghost', t('dur.' + key));
      b.dataset.duration = key;
      b.addEventListener('click', () => run(untilFrom(d)));
      p.append(b);
    }
    row.append(p);
  }
  function expectForm(row, c) {
    $('board').querySelectorAll('.picker').forEach((p) => p.remove());
    const f = el('form', 'picker');
    const num = el('input'); num.placeholder = t('board.number'); num.required = true; num.inputmode = 'tel'; num.className = 'expect-number';
    const note = el('input'); note.placeholder = t('board.note'); note.className = 'expect-note';
    const sel = el('select');
    for (const [key, d] of DURATIONS.slice(1)) { const o = new Option(t('dur.' + key), key); sel.append(o); }
    sel.value = 'today';
    const ok = el('button', 'btn small primary', t('board.expectSave')); ok.type = 'submit';
    f.append(num, note, sel, ok);
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const d = DURATIONS.find((x) => x[0] === sel.value)[1];
      try {
        await api('POST', '/api/v1/clients/' + c.id + '/expect', { number: num.value, until: untilFrom(d), note: note.value || null });
        f.remove(); toast(t('board.saved')); await loadClients();
      } catch (e) { toast(e.message); }
    });
    row.append(f);
    num.focus();
  }

  // ---------- admin
  async function loadAdmin() {
    if (!state.me || state.me.role !== 'admin') return;
    try {
      const [book, users, tokens] = await Promise.all([api('GET', '/api/v1/admin/book'), api('GET', '/api/v1/admin/users'), api('GET', '/api/v1/admin/tokens')]);
      $('book-yaml').value = book.yaml;
      $('book-problems').textContent = ''; $('book-result').hidden = true;
      renderUsers(users.users); renderTokens(tokens.tokens);
      if (window.VZCalendar) window.VZCalendar.adminPanel($('calendar-admin'));
      const sec = $('uf-secretary'); sec.textContent = '';
      sec.append(new Option('—', ''));
      (state.secretaries || []).forEach((s) => sec.append(new Option(s, s)));
    } catch (e) { toast(e.message); }
  }
  $('book-reload').addEventListener('click', loadAdmin);
  $('book-save').addEventListener('click', async () => {
    const list = $('book-problems'); list.textContent = ''; $('book-result').hidden = true;
    try {
      const r = await api('PUT', '/api/v1/admin/book', { yaml: $('book-yaml').value });
      $('book-result').textContent = t('admin.bookSaved', { version: r.version, clients: r.clients });
      $('book-result').hidden = false;
      loadClients();
    } catch (e) {
      if (e.data && e.data.problems) for (const p of e.data.problems) list.append(el('li', null, p.text));
      else list.append(el('li', null, e.message));
    }
  });
  function renderUsers(users) {
    const tb = $('users'); tb.textContent = '';
    const h = el('tr'); ['admin.username', 'admin.role', 'admin.secretary', ''].forEach((k) => h.append(el('th', null, k ? t(k) : '')));
    tb.append(h);
    for (const u of users) {
      const r = el('tr');
      r.append(el('td', null, u.username + (u.disabled ? ' (' + t('admin.disabled') + ')' : '')), el('td', null, t('role.' + u.role)), el('td', null, u.secretary || '—'));
      const td = el('td');
      const edit = el('button', 'btn small ghost', t('admin.edit'));
      edit.addEventListener('click', () => { $('uf-username').value = u.username; $('uf-role').value = u.role; $('uf-secretary').value = u.secretary || ''; $('uf-password').focus(); });
      td.append(edit); r.append(td); tb.append(r);
    }
  }
  $('user-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('uf-error').hidden = true;
    const body = { role: $('uf-role').value, secretary: $('uf-secretary').value || null };
    if ($('uf-password').value) body.password = $('uf-password').value;
    try {
      await api('PUT', '/api/v1/admin/users/' + encodeURIComponent($('uf-username').value.trim().toLowerCase()), body);
      $('uf-password').value = ''; toast(t('admin.userSaved')); loadAdmin();
    } catch (e) { $('uf-error').textContent = e.message; $('uf-error').hidden = false; }
  });
  function renderTokens(tokens) {
    const tb = $('tokens'); tb.textContent = '';
    for (const k of tokens) {
      const r = el('tr');
      r.append(el('td', null, k.name), el('td', 'muted', k.revokedAt ? t('admin.revoked') : (k.lastUsedAt ? t('admin.lastUsed', { time: fmtTime(k.lastUsedAt) }) : t('admin.unused'))));
      const td = el('td');
      if (!k.revokedAt) {
        const b = el('button', 'btn small ghost', t('admin.revoke'));
        b.addEventListener('click', async () => { try { await api('DELETE', '/api/v1/admin/tokens/' + k.id); loadAdmin(); } catch (e) { toast(e.message); } });
        td.append(b);
      }
      r.append(td); tb.append(r);
    }
  }
  $('token-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const r = await api('POST', '/api/v1/admin/tokens', { name: $('tf-name').value });
      $('token-new').textContent = t('admin.tokenOnce') + ' ' + r.token; $('token-new').hidden = false;
      $('tf-name').value = ''; loadAdmin();
    } catch (e) { toast(e.message); }
  });

  // ---------- start
  document.querySelectorAll('.lang').forEach((b) => b.addEventListener('click', () => setLang(b.dataset.lang)));
  if (window.VZCalendar) window.VZCalendar.init({ api, t, el, fmtTime, toast, lang: () => state.lang });
  (async function start() {
    let lang = localStorage.getItem('vz.lang');
    if (!lang) { try { lang = (await (await fetch('/console/lang.json')).json()).lang; } catch (e) { lang = 'de'; } }
    await setLang(lang);
    try {
      const me = await api('GET', '/api/v1/session');
      await enter(me);
    } catch (e) { showLogin(); }
  })();
})();
