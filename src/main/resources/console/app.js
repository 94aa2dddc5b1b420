// Vorzimmer console: plain JS, no build step. All text goes through textContent (no HTML from data); every text the
// page shows comes from the i18n files, server errors included (by their code, never by the server's English words).
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const state = { me: null, csrf: null, lang: 'de', t: {}, clients: [], calls: new Map(), view: 'calls', events: null,
    settings: { smsSender: false }, duty: [], sound: localStorage.getItem('vz.sound') !== 'off', title: document.title };

  // ---------- i18n
  function t(key, vars) {
    let s = state.t[key];
    if (s === undefined) s = key;
    if (vars) for (const k of Object.keys(vars)) s = s.split('{' + k + '}').join(vars[k] === undefined || vars[k] === null ? '' : vars[k]);
    return s;
  }
  function has(key) { return Object.prototype.hasOwnProperty.call(state.t, key); }
  async function setLang(lang) {
    const r = await fetch('/console/i18n/' + lang + '.json');
    state.t = await r.json();
    state.lang = lang;
    localStorage.setItem('vz.lang', lang);
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll('[data-i18n-placeholder]').forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
    document.querySelectorAll('[data-i18n-title]').forEach((el) => { el.title = t(el.dataset.i18nTitle); });
    document.querySelectorAll('[data-i18n-aria-label]').forEach((el) => { el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel)); });
    document.querySelectorAll('.lang').forEach((b) => {
      b.classList.toggle('on', b.dataset.lang === lang);
      b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
    });
    urgentLabel();
    soundButton();
    if (state.me) { renderCalls(); renderBoard(); renderDuty(); renderInbox(); renderUsage(); fillClientSelects(); liveText(); boardAt(); }
  }
  function locale() { return state.lang === 'de' ? 'de-DE' : 'en-GB'; }
  /** A time in the given zone (the client's), labelled with that zone: "10:05 MEZ", "Mo., 7. Dez., 10:05 MEZ". */
  function fmtTime(iso, zone) {
    if (!iso) return '';
    const d = new Date(iso);
    const opts = { hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };
    if (zone) opts.timeZone = zone;
    const day = (x) => x.toLocaleDateString('en-CA', zone ? { timeZone: zone } : {});
    if (day(d) !== day(new Date())) Object.assign(opts, { weekday: 'short', day: 'numeric', month: 'short' });
    try { return d.toLocaleString(locale(), opts); } catch (e) { delete opts.timeZone; return d.toLocaleString(locale(), opts); }
  }
  function clientZone(id) { const c = state.clients.find((x) => x.id === id); return c ? c.timezone : undefined; }

  // ---------- HTTP; errors are worded by their code in the page's language
  async function api(method, path, body) {
    const headers = { 'Accept': 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
    let r;
    try {
      r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
    } catch (e) {
      const err = new Error(t('err.network')); err.code = 'network'; throw err;
    }
    if (r.status === 401 && state.me) { showLogin(); const e = new Error(t('login.expired')); e.code = 'session-expired'; throw e; }
    const text = await r.text();
    let data = {};
    try { data = text ? JSON.parse(text) : {}; } catch (e) { data = {}; }
    if (!r.ok) {
      const e = new Error(''); e.data = data; e.status = r.status; e.code = data.code || ('http-' + r.status); e.field = data.field;
      e.message = errText(e); throw e;
    }
    return data;
  }
  /** The page's words for a refusal: its code's text, else the text for its HTTP status, else a general one. */
  function errText(e) {
    if (e.code === 'network') return t('err.network');
    const vars = { field: e.field ? fieldName(e.field) : '', status: e.status || '' };
    if (e.code && has('err.' + e.code)) return t('err.' + e.code, vars);
    if (e.status && has('err.http-' + e.status)) return t('err.http-' + e.status, vars);
    return t('err.generic', vars);
  }
  function fieldName(f) { return has('field.' + f) ? t('field.' + f) : f.replace(/^intake\./, ''); }
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function toast(msg) {
    const b = $('toast'); b.textContent = msg; b.hidden = false;
    clearTimeout(toast.timer); toast.timer = setTimeout(() => { b.hidden = true; }, 4000);
  }

  // ---------- login
  function showLogin() {
    state.me = null; state.csrf = null;
    if (state.events) { state.events.close(); state.events = null; }
    state.calls.clear(); updateTitle();
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
      $('login-error').textContent = e.code === 'login-locked'
        ? t('login.locked', { minutes: Math.ceil(((e.data && e.data.retryAfter) || 60) / 60) })
        : e.code === 'login-wrong' ? t('login.wrong') : e.message;
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
    try { state.settings = await api('GET', '/api/v1/console/settings'); } catch (e) { state.settings = { smsSender: false }; }
    urgentLabel();
    notifyButton();
    await loadClients();
    connectEvents();
    show(state.view === 'admin' || state.view === 'usage' ? (me.role === 'admin' ? state.view : 'calls') : state.view);
  }

  // ---------- navigation
  document.querySelectorAll('.tab').forEach((b) => b.addEventListener('click', () => show(b.dataset.view, true)));
  function show(view, focusHeading) {
    state.view = view;
    document.querySelectorAll('.view').forEach((v) => { v.hidden = v.id !== 'view-' + view; });
    document.querySelectorAll('.tab').forEach((b) => {
      if (b.dataset.view === view) b.setAttribute('aria-current', 'page'); else b.removeAttribute('aria-current');
    });
    if (view === 'inbox') loadInbox();
    if (view === 'board') { loadClients(); loadDuty(); }
    if (view === 'usage') loadUsage();
    if (view === 'admin') loadAdmin();
    if (view === 'escalations' && window.vzEscalations) window.vzEscalations.load();
    if (focusHeading) { const h = document.querySelector('#view-' + view + ' h1'); if (h) { h.tabIndex = -1; h.focus(); } }
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
    es.addEventListener('claim', (m) => onClaim(JSON.parse(m.data)));
  }

  // Who took a ringing call: the first choice wins for everyone; the others' cards say who and lose their buttons.
  function onClaim(ev) {
    const c = state.calls.get(ev.callId);
    if (!c) return;
    if (ev.state === 'claimed') {
      c.claim = { by: ev.by, byName: ev.byName || ev.by, choice: ev.choice };
      if (!mine(c.claim)) $('announce').textContent = t('calls.claimedBy', { who: c.claim.byName, what: t('choice.' + ev.choice) });
    } else if (ev.state === 'released' && c.claim && c.claim.by === ev.by) {
      delete c.claim;
    }
    renderCalls();
  }
  function mine(claim) { return !!claim && !!state.me && claim.by === state.me.user; }

  // Alerts for every secretary, e.g. a client's phone-in locked after wrong PINs. They stay until dismissed.
  function onAlert(a) {
    const box = $('alerts');
    const item = el('div', 'alert');
    const until = a.until ? fmtTime(a.until, clientZone(a.client)) : '';
    const text = a.type === 'phonein-locked'
      ? t('alert.phoneinLocked', { client: clientName(a.client), failures: a.failures, until })
      : a.type === 'login-locked'
        ? t(a.user ? 'alert.loginLocked' : 'alert.loginAddressLocked', { user: a.user, address: a.address, failures: a.failures, until })
        : t('alert.other', { type: a.type });
    item.append(el('span', 'alert-text', text));
    const close = el('button', 'alert-close', '×');
    close.type = 'button';
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
    const fresh = ev.state === 'ringing' && known.state !== 'ringing';
    const merged = Object.assign({}, known, ev.state === 'ringing' ? ev : {}, { state: ev.state, answeredBy: ev.answeredBy });
    if (ev.state === 'ringing' && !known.callId) merged.since = Date.now();
    state.calls.set(id, merged);
    // a call that is over leaves the list at once; one answered stays a moment to show who has it
    if (ev.state === 'ended' || ev.state === 'missed' || ev.state === 'message') state.calls.delete(id);
    else if (ev.state !== 'ringing') setTimeout(() => { state.calls.delete(id); renderCalls(); updateTitle(); }, 8000);
    if (ev.state === 'ringing' && state.view !== 'calls') show('calls');
    renderCalls();
    updateTitle();
    if (fresh) signalNewCall(merged);
  }

  // ---------- the new-call signal: focus, live region, title, sound, notification in the background
  function signalNewCall(c) {
    const who = c.caller || {};
    const caller = who.name || who.contact || who.number || t('caller.anonymous');
    const client = c.clientName || c.display || t('calls.unknownLine');
    $('announce').textContent = t(c.urgent ? 'announce.ringingUrgent' : 'announce.ringing', { client, caller });
    // focus the new card, unless the secretary is typing somewhere (then the live region and sound tell her)
    if (!typing(document.activeElement)) {
      const card = document.querySelector('.call-card[data-call-id="' + CSS.escape(c.callId) + '"]');
      if (card) card.focus();
    }
    if (state.sound) beep();
    if (document.hidden && 'Notification' in window && Notification.permission === 'granted') {
      try {
        const n = new Notification(t('notify.title', { client }), { body: t('notify.body', { caller }), tag: 'vz-' + c.callId });
        n.onclick = () => { window.focus(); n.close(); };
      } catch (e) { /* notifications unavailable here */ }
    }
  }
  function ringing() { return [...state.calls.values()].filter((c) => c.callId && c.state === 'ringing'); }
  function updateTitle() {
    const n = state.me ? ringing().length : 0;
    document.title = n ? t('title.ringing', { n }) : state.title;
    $('ring-count').hidden = n === 0;
    $('ring-count').textContent = n ? String(n) : '';
  }
  // The audio context is made (or resumed) on the secretary's own clicks and keys: browsers let a page play sound
  // only after a user gesture, and making it while a call comes in would hold up the card.
  let audio = null;
  function primeAudio() {
    if (!state.sound) return;
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      if (audio.state === 'suspended') audio.resume();
    } catch (e) { audio = null; }
  }
  document.addEventListener('pointerdown', primeAudio, true);
  document.addEventListener('keydown', primeAudio, true);
  function beep() {
    if (!audio) return;
    try {
      const now = audio.currentTime;
      for (const [at, freq] of [[0, 880], [0.22, 660]]) {
        const o = audio.createOscillator(), g = audio.createGain();
        o.frequency.value = freq; o.type = 'sine';
        g.gain.setValueAtTime(0.0001, now + at);
        g.gain.exponentialRampToValueAtTime(0.25, now + at + 0.02);
        g.gain.exponentialRampToValueAtTime(0.0001, now + at + 0.18);
        o.connect(g).connect(audio.destination); o.start(now + at); o.stop(now + at + 0.2);
      }
    } catch (e) { /* no audio output */ }
  }
  function soundButton() {
    const b = $('sound-toggle');
    b.setAttribute('aria-pressed', String(state.sound));
    b.textContent = t(state.sound ? 'signal.soundOn' : 'signal.soundOff');
  }
  $('sound-toggle').addEventListener('click', () => {
    state.sound = !state.sound; localStorage.setItem('vz.sound', state.sound ? 'on' : 'off'); soundButton();
    if (state.sound) { primeAudio(); beep(); }
  });
  function notifyButton() {
    $('notify-allow').hidden = !('Notification' in window) || Notification.permission !== 'default';
  }
  $('notify-allow').addEventListener('click', async () => {
    try { await Notification.requestPermission(); } catch (e) { /* refused */ }
    notifyButton();
  });

  const CLASS_LABEL = { vip: 'caller.vip', known: 'caller.known', unknown: 'caller.unknown', anonymous: 'caller.anonymous',
    blocked: 'caller.blocked', expected: 'caller.expected' };

  function statusPill(st) {
    if (!st) return el('span');
    return el('span', 'pill st-' + st.now, t('status.' + st.now));
  }
  function statusLine(st, zone) {
    const box = el('div', 'status-line');
    box.append(statusPill(st));
    if (st && st.nextAt) box.append(el('span', 'muted', t('status.until', { time: fmtTime(st.nextAt, zone), next: t('status.' + st.next) })));
    if (st && st.note) box.append(el('span', 'note', t('quote', { text: st.note })));
    if (window.VZCalendar) window.VZCalendar.statusExtras(box, st);
    return box;
  }

  function renderCalls() {
    const box = $('calls');
    const focusedId = document.activeElement && document.activeElement.closest ? (document.activeElement.closest('.call-card') || {}).dataset : null;
    const focusChoice = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.choice : null;
    box.textContent = '';
    const calls = [...state.calls.values()].filter((c) => c.callId).sort((a, b) => (b.since || 0) - (a.since || 0));
    $('calls-empty').hidden = calls.length > 0;
    for (const c of calls) box.append(callCard(c));
    // a re-render keeps the keyboard where it was
    if (focusedId && focusedId.callId) {
      const card = box.querySelector('.call-card[data-call-id="' + CSS.escape(focusedId.callId) + '"]');
      const target = card && focusChoice ? card.querySelector('button[data-choice="' + focusChoice + '"]') : card;
      if (target) target.focus();
    }
  }

  function callCard(c) {
    const card = el('article', 'call-card state-' + c.state + (c.urgent ? ' is-urgent' : ''));
    card.dataset.callId = c.callId;
    card.tabIndex = -1;
    const titleId = 'call-' + c.callId.replace(/[^A-Za-z0-9_-]/g, '_');
    card.setAttribute('aria-labelledby', titleId);
    const head = el('div', 'call-head');
    const title = el('div');
    const kicker = el('div', 'call-kicker');
    const taken = c.state === 'ringing' && c.claim;
    kicker.append(el('span', null, taken ? t(mine(c.claim) ? 'calls.claimedByMe' : 'calls.claimed', { who: c.claim.byName })
      : c.state === 'ringing' ? t('calls.ringing') : t('callstate.' + c.state, { who: c.answeredBy || '' })));
    if (c.urgent) kicker.append(el('span', 'badge urgent-strong', t('calls.urgent')));
    title.append(kicker);
    title.append(el('h2', 'call-client', c.clientName || c.display || t('calls.unknownLine')));
    title.lastChild.id = titleId;
    head.append(title);
    head.append(statusLine(c.clientStatus, c.timezone));
    card.append(head);

    if (c.greeting) {
      const g = el('div', 'greeting');
      g.append(el('div', 'label', t('calls.say')));
      g.append(el('div', 'greeting-text', c.greeting));
      card.append(g);
    }
    if (c.instructions) {
      const i = el('div', 'instructions');
      i.append(el('div', 'label', t('calls.instructions')));
      i.append(el('div', null, c.instructions));
      card.append(i);
    }
    const who = c.caller || {};
    const caller = el('div', 'caller');
    caller.append(el('div', 'caller-name', who.name || who.contact || (who.number ? who.number : t('caller.anonymous'))));
    const meta = el('div', 'caller-meta');
    if (who.number && (who.name || who.contact)) meta.append(el('span', 'number', who.number));
    if (who.class) meta.append(el('span', 'badge cls-' + who.class, t(CLASS_LABEL[who.class] || 'caller.unknown')));
    caller.append(meta);
    if (who.note) {
      const n = el('div', 'contact-note');
      n.append(el('span', 'label', t('calls.contactNote') + ' '));
      n.append(el('span', null, who.note));
      caller.append(n);
    }
    card.append(caller);

    if (Array.isArray(c.why) && c.why.length) {
      const d = el('details', 'why');
      d.append(el('summary', null, t('calls.why')));
      const ul = el('ul');
      ul.lang = 'en';
      for (const w of c.why) ul.append(el('li', null, w));
      d.append(ul);
      card.append(d);
    }

    if (Array.isArray(who.calls) && who.calls.length) {
      const e = el('div', 'earlier earlier-calls');
      e.append(el('div', 'label', t('calls.earlierCalls', { n: who.calls.length })));
      const ul = el('ul');
      for (const x of who.calls) {
        const answered = x.answeredBy ? ' · ' + t('calls.answeredBy', { who: x.answeredBy }) : '';
        ul.append(el('li', null, fmtTime(x.at, c.timezone) + ' · ' + t('action.' + x.action) + answered));
      }
      e.append(ul);
      card.append(e);
    }
    if (who.earlier && who.earlier.length) {
      const e = el('div', 'earlier');
      e.append(el('div', 'label', t('calls.earlier', { n: who.earlier.length })));
      const ul = el('ul');
      for (const m of who.earlier) {
        const li = el('li');
        li.append(el('span', 'muted', fmtTime(m.at, c.timezone) + ' · '));
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
    if (taken && !mine(c.claim)) {
      const by = el('div', 'choice taken', t('calls.claimedBy', { who: c.claim.byName, what: t('choice.' + c.claim.choice) }));
      by.setAttribute('role', 'status');
      card.append(by);
    } else if (c.state === 'ringing') {
      const actions = el('div', 'actions call-actions');
      for (const [choice, cls, key, label] of [['put-through', 'btn primary', 'D', 'calls.putThrough'],
        ['message', 'btn', 'N', 'calls.takeMessage'], ['voicemail', 'btn ghost', 'M', 'calls.voicemail']]) {
        const b = el('button', cls);
        b.type = 'button';
        b.dataset.choice = choice;
        b.setAttribute('aria-keyshortcuts', key);
        b.append(el('span', null, t(label) + ' '), el('kbd', null, key));
        b.addEventListener('click', () => choose(c, choice));
        actions.append(b);
      }
      card.append(actions);
    }
    if (c.choice) {
      const ch = el('div', 'choice', c.choice);
      ch.setAttribute('role', 'status');
      card.append(ch);
    }
    return card;
  }

  async function choose(c, choice) {
    if (choice === 'message') {
      openMessageForm({ client: c.client, number: (c.caller || {}).number, name: (c.caller || {}).name, callId: c.callId,
        urgent: !!c.urgent });
    }
    try {
      const r = await api('POST', '/api/v1/calls/' + encodeURIComponent(c.callId) + '/choice', { choice });
      // not carried out: the server says why (no phone system answered, the call no longer rings, ...)
      // taking a message asks nothing of the phone system: the call still rings until she answers it, so not "done"
      const key = r.carriedOut ? (choice === 'message' ? 'calls.takingMessage' : 'calls.done')
        : (r.reason ? 'calls.notCarriedOut' : 'calls.recorded');
      // the reason in the console's words by its code; the server's English detail only where no code is known
      const reason = r.reasonCode && has('reason.' + r.reasonCode) ? t('reason.' + r.reasonCode) : (r.reason || '');
      c.choice = t(key, { what: t('choice.' + choice), reason });
      renderCalls();
    } catch (e) {
      if (e.code === 'call-taken' && e.data) {
        // someone was first: her choice stands; a message form opened for this call closes again
        const live = state.calls.get(c.callId) || c;
        live.claim = { by: e.data.by, byName: e.data.byName || e.data.by, choice: e.data.choice };
        if (choice === 'message' && $('message-form').dataset.callId === c.callId) closeMessageForm();
        renderCalls();
      }
      toast(e.code === 'call-taken' && e.data
        ? t('err.call-taken', { who: e.data.byName || e.data.by, what: t('choice.' + e.data.choice) }) : e.message);
    }
  }

  /** The ringing call the keyboard acts on: the card with the focus, else the newest ringing one. */
  function activeCall() {
    const card = document.activeElement && document.activeElement.closest ? document.activeElement.closest('.call-card') : null;
    const c = card ? state.calls.get(card.dataset.callId) : null;
    if (c && c.state === 'ringing') return c;
    return ringing().sort((a, b) => (b.since || 0) - (a.since || 0))[0];
  }

  // ---------- message form
  function fillClientSelects() {
    const opts = (sel, allKey) => {
      const keep = sel.value;
      sel.textContent = '';
      if (allKey) sel.append(new Option(t(allKey), ''));
      for (const c of state.clients) sel.append(new Option(c.name, c.id));
      if (keep) sel.value = keep;
    };
    opts($('mf-client'), null);
    opts($('f-client'), 'inbox.allClients');
    opts($('u-client'), 'inbox.allClients');
  }
  function urgentLabel() {
    $('mf-urgent-label').textContent = t(state.settings.smsSender ? 'form.urgent' : 'form.urgentNoSms');
  }
  function renderIntake() {
    const box = $('mf-intake');
    box.textContent = '';
    const c = state.clients.find((x) => x.id === $('mf-client').value);
    for (const f of (c && c.intake) || []) {
      const l = el('label');
      l.append(el('span', null, f.name + (f.required ? ' *' : '')));
      const i = el('input');
      i.dataset.intake = f.name; i.required = !!f.required; i.maxLength = 500; i.autocomplete = 'off';
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
    $('mf-urgent').checked = !!pre.urgent; $('mf-callback').checked = !!pre.number;
    $('message-form').dataset.callId = pre.callId || '';
    $('mf-error').hidden = true;
    renderIntake();
    firstEmptyRequired().focus();
  }
  /** Where typing starts: the first required field still empty, in the order they stand; else the text. */
  function firstEmptyRequired() {
    const fields = [...$('message-form').querySelectorAll('input[required], select[required], textarea[required]')];
    return fields.find((f) => !f.value.trim()) || $('mf-text');
  }
  function closeMessageForm() {
    const callId = $('message-form').dataset.callId;
    $('message-panel').hidden = true;
    const card = callId ? document.querySelector('.call-card[data-call-id="' + CSS.escape(callId) + '"]') : null;
    if (card) card.focus(); else $('main').focus();
  }
  $('inbox-new').addEventListener('click', () => openMessageForm({}));
  $('mf-cancel').addEventListener('click', closeMessageForm);
  $('message-form').addEventListener('submit', (ev) => { ev.preventDefault(); saveMessage(); });
  /** Stores the message; with a required field still empty it takes the keyboard there instead. */
  async function saveMessage() {
    const form = $('message-form');
    if (!form.checkValidity()) { firstEmptyRequired().focus(); form.reportValidity(); return; }
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
      closeMessageForm();
      toast(!body.urgent ? t('form.saved') : state.settings.smsSender ? t('form.savedUrgent') : t('form.savedUrgentNoSms'));
      document.body.dataset.lastMessage = String(r.id || (r.message && r.message.id) || '');
    } catch (e) {
      $('mf-error').textContent = e.message; $('mf-error').hidden = false;
    }
  }

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
      top.append(el('h2', 'msg-client', names[m.client] || m.client || t('calls.unknownLine')));
      top.lastChild.style.fontSize = '1rem'; top.lastChild.style.margin = '0';
      if (m.urgent) top.append(el('span', 'badge urgent', t('inbox.urgent')));
      if (m.unconfirmed) top.append(el('span', 'badge urgent', t('inbox.unconfirmed')));
      top.append(el('span', 'badge state', t('state.' + m.state)));
      top.append(el('span', 'muted right', fmtTime(m.created_at || m.createdAt, clientZone(m.client))));
      row.append(top);
      const caller = [m.caller_name || m.callerName, m.caller_number || m.callerNumber].filter(Boolean).join(' · ');
      row.append(el('div', 'msg-caller', caller || t('caller.anonymous')));
      row.append(el('div', 'msg-text', m.text || t('kind.' + m.kind)));
      if (m.kind === 'recording' && m.recording) {
        const a = el('audio');
        a.controls = true; a.preload = 'none';
        a.src = '/api/v1/messages/' + encodeURIComponent(m.id) + '/recording';
        a.setAttribute('aria-label', t('inbox.play', { caller: caller || t('caller.anonymous') }));
        a.addEventListener('error', () => { if (!row.querySelector('.play-error')) a.after(el('div', 'muted small play-error', t('inbox.playFailed'))); });
        row.append(a);
      }
      const intake = m.intake || {};
      for (const k of Object.keys(intake)) row.append(el('div', 'msg-intake', k + ': ' + intake[k]));
      const acts = el('div', 'actions');
      const next = { new: ['read', 'done'], notified: ['read', 'done'], read: ['done'], done: [] }[m.state] || ['done'];
      for (const s of next) {
        const b = el('button', 'btn small' + (s === 'done' ? '' : ' ghost'), t('inbox.mark.' + s));
        b.type = 'button';
        b.addEventListener('click', async () => {
          try { await api('POST', '/api/v1/messages/' + m.id + '/state', { state: s, by: state.me.user }); loadInbox(); } catch (e) { toast(e.message); }
        });
        acts.append(b);
      }
      const num = m.caller_number || m.callerNumber;
      if (num) {
        const cb = el('button', 'btn small ghost', t('inbox.callback'));
        cb.type = 'button';
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

  // ---------- client board and duty
  async function loadClients() {
    try {
      const r = await api('GET', '/api/v1/clients');
      state.clients = r.clients;
      state.secretaries = r.secretaries || [];
      state.boardAt = r.at;
      boardAt();
      fillClientSelects();
      renderBoard();
    } catch (e) { toast(e.message); }
  }
  function boardAt() { if (state.boardAt) $('board-at').textContent = t('board.at', { time: fmtTime(state.boardAt) }); }
  async function loadDuty() {
    try { state.duty = (await api('GET', '/api/v1/duty')).secretaries || []; } catch (e) { state.duty = []; toast(e.message); }
    renderDuty();
  }
  function renderDuty() {
    const list = $('duty-list');
    list.textContent = '';
    for (const s of state.duty) {
      const li = el('li', s.onDuty ? 'on' : 'off', s.name + ' – ' + t(s.onDuty ? 'duty.on' : 'duty.off'));
      li.dataset.secretary = s.id;
      list.append(li);
    }
    const me = state.duty.find((s) => s.me);
    const b = $('duty-toggle');
    b.hidden = !me;
    if (me) {
      b.setAttribute('aria-pressed', String(me.onDuty));
      b.textContent = t(me.onDuty ? 'duty.goOff' : 'duty.goOn');
    }
  }
  $('duty-toggle').addEventListener('click', async () => {
    const me = state.duty.find((s) => s.me);
    if (!me) return;
    try {
      await api('PUT', '/api/v1/duty/' + encodeURIComponent(me.id), { onDuty: !me.onDuty });
      toast(t(me.onDuty ? 'duty.nowOff' : 'duty.nowOn'));
      await loadDuty();
      $('duty-toggle').focus();
    } catch (e) { toast(e.message); }
  });
  const DURATIONS = [['30m', 30], ['1h', 60], ['2h', 120], ['today', 'today'], ['open', null]];
  function untilFrom(d) {
    if (d === null) return null;
    if (d === 'today') { const x = new Date(); x.setHours(23, 59, 0, 0); return x.toISOString(); }
    return new Date(Date.now() + d * 60000).toISOString();
  }
  /** The button that shows the status now: the override's kind, or "office hours" when the hours decide. */
  function currentSetting(st) {
    if (!st) return null;
    return st.source === 'override' ? st.now : 'schedule';
  }
  function renderBoard() {
    const box = $('board');
    // A duration picker or expect form the secretary has open survives a refresh of the board (same node:
    // what she typed stays); it is closed when she saves or opens another one.
    const openPicker = box.querySelector('.client-row .picker');
    const openFor = openPicker ? openPicker.closest('.client-row').dataset.client : null;
    const active = document.activeElement;
    const focused = active && box.contains(active) && !openPicker && active.closest('.client-row')
      ? [active.closest('.client-row').dataset.client, active.dataset.status || active.dataset.action] : null;
    box.textContent = '';
    for (const c of state.clients) {
      const row = el('article', 'client-row');
      row.dataset.client = c.id;
      const left = el('div', 'client-main');
      const name = el('h2', 'client-name', c.name);
      name.id = 'client-' + c.id;
      left.append(name);
      left.append(el('div', 'muted small', c.lines.join(', ')));
      row.append(left);
      const st = el('div', 'client-status');
      st.append(statusLine(c.status, c.timezone));
      for (const x of c.expected || []) {
        st.append(el('div', 'expected', t('board.expecting', { number: x.number }) + (x.until ? ' · ' + t('board.till', { time: fmtTime(x.until, c.timezone) }) : '') + (x.note ? ' · ' + x.note : '')));
      }
      row.append(st);
      const acts = el('div', 'client-actions');
      acts.setAttribute('role', 'group');
      acts.setAttribute('aria-labelledby', name.id);
      const current = currentSetting(c.status);
      for (const s of ['available', 'unavailable', 'dnd', 'schedule']) {
        const b = el('button', 'btn small state set-' + s, t('set.' + s));
        b.type = 'button';
        b.dataset.status = s;
        b.setAttribute('aria-pressed', String(s === current));
        b.addEventListener('click', () => pickDuration(row, c, s));
        acts.append(b);
      }
      const ex = el('button', 'btn small ghost', t('board.expect'));
      ex.type = 'button';
      ex.dataset.action = 'expect';
      ex.addEventListener('click', () => expectForm(row, c));
      acts.append(ex);
      row.append(acts);
      if (c.id === openFor) row.append(openPicker);
      box.append(row);
    }
    if (focused && focused[1]) {
      const row = box.querySelector('.client-row[data-client="' + CSS.escape(focused[0]) + '"]');
      const b = row && (row.querySelector('[data-status="' + focused[1] + '"]') || row.querySelector('[data-action="' + focused[1] + '"]'));
      if (b) b.focus();
    }
  }
  // Second click: how long, with an optional note. "schedule" needs neither, so it is one click.
  function pickDuration(row, c, status) {
    $('board').querySelectorAll('.picker').forEach((p) => p.remove());
    const send = (until, note) => api('POST', '/api/v1/clients/' + encodeURIComponent(c.id) + '/status', { status, until, note: note || null });
    const run = async (until, note, p) => {
      try { await send(until, note); if (p) p.remove(); toast(t('board.saved')); await loadClients(); } catch (e) { toast(e.message); }
    };
    if (status === 'schedule') { run(null, null, null); return; }
    const p = el('div', 'picker');
    p.setAttribute('role', 'group');
    p.setAttribute('aria-label', t('board.pickerLabel', { client: c.name, status: t('set.' + status) }));
    const noteLabel = el('label', 'inline-label');
    noteLabel.append(el('span', null, t('board.statusNote')));
    const note = el('input', 'note-input'); note.maxLength = 500; note.autocomplete = 'off';
    noteLabel.append(note);
    p.append(noteLabel);
    p.append(el('span', 'muted', t('board.howLong')));
    for (const [key, d] of DURATIONS) {
      const b = el('button', 'btn small ghost', t('dur.' + key));
      b.type = 'button';
      b.dataset.duration = key;
      b.addEventListener('click', () => run(untilFrom(d), note.value.trim(), p));
      p.append(b);
    }
    row.append(p);
    note.focus();
  }
  function expectForm(row, c) {
    $('board').querySelectorAll('.picker').forEach((p) => p.remove());
    const f = el('form', 'picker');
    f.setAttribute('aria-label', t('board.expectLabel', { client: c.name }));
    const labelled = (key, input) => { const l = el('label', 'inline-label'); l.append(el('span', null, t(key)), input); return l; };
    const num = el('input', 'expect-number'); num.required = true; num.inputMode = 'tel'; num.autocomplete = 'off';
    const note = el('input', 'expect-note'); note.autocomplete = 'off';
    const sel = el('select');
    for (const [key] of DURATIONS.slice(1)) sel.append(new Option(t('dur.' + key), key));
    sel.value = 'today';
    const ok = el('button', 'btn small primary', t('board.expectSave')); ok.type = 'submit';
    f.append(labelled('board.number', num), labelled('board.note', note), labelled('board.howLong', sel), ok);
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const d = DURATIONS.find((x) => x[0] === sel.value)[1];
      try {
        await api('POST', '/api/v1/clients/' + encodeURIComponent(c.id) + '/expect', { number: num.value, until: untilFrom(d), note: note.value || null });
        f.remove(); toast(t('board.saved')); await loadClients();
      } catch (e) { toast(e.message); }
    });
    row.append(f);
    num.focus();
  }

  // ---------- usage: what each client costs
  function monthNow() { const d = new Date(); return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0'); }
  function usageQuery(csv) {
    const q = new URLSearchParams({ month: $('u-month').value || monthNow() });
    if ($('u-client').value) q.set('client', $('u-client').value);
    if (csv) q.set('format', 'csv');
    return '/api/v1/usage?' + q.toString();
  }
  async function loadUsage() {
    if (!state.me || state.me.role !== 'admin') return;
    if (!$('u-month').value) $('u-month').value = monthNow();
    $('u-csv').href = usageQuery(true);
    try {
      state.usage = await api('GET', usageQuery(false));
      $('usage-error').hidden = true;
    } catch (e) { state.usage = null; $('usage-error').textContent = e.message; $('usage-error').hidden = false; }
    renderUsage();
  }
  $('usage-form').addEventListener('submit', (ev) => { ev.preventDefault(); loadUsage(); });
  ['u-month', 'u-client'].forEach((id) => $(id).addEventListener('change', () => { $('u-csv').href = usageQuery(true); }));
  function minutes(seconds) { return (seconds / 60).toLocaleString(locale(), { maximumFractionDigits: 1 }); }
  function renderUsage() {
    const u = state.usage;
    const table = $('usage-table');
    table.textContent = '';
    $('usage-chart').textContent = '';
    if (!u) return;
    const cols = [['usage.colClient', null], ['usage.colCalls', 'calls'], ['usage.colSecretaryCalls', 'secretaryCalls'],
      ['usage.colMinutes', 'secretarySeconds'], ['usage.colPutThroughs', 'putThroughs'], ['usage.colMessages', 'messages'],
      ['usage.colUrgent', 'urgentNotifications']];
    const cap = el('caption', 'sr-only', t('usage.tableCaption', { month: u.month }));
    table.append(cap);
    const head = el('tr');
    for (const [k, f] of cols) { const th = el('th', f ? 'num' : null, t(k)); th.scope = 'col'; head.append(th); }
    const thead = el('thead'); thead.append(head); table.append(thead);
    const tbody = el('tbody');
    const total = { calls: 0, secretaryCalls: 0, secretarySeconds: 0, putThroughs: 0, messages: 0, urgentNotifications: 0 };
    for (const c of u.clients) {
      const tr = el('tr');
      tr.dataset.client = c.client;
      const th = el('th', null, c.client ? c.name : t('calls.unknownLine')); th.scope = 'row'; tr.append(th);
      for (const [, f] of cols.slice(1)) {
        total[f] += c[f];
        tr.append(el('td', 'num', f === 'secretarySeconds' ? minutes(c[f]) : String(c[f])));
      }
      tbody.append(tr);
    }
    if (u.clients.length > 1) {
      const tr = el('tr', 'total');
      const th = el('th', null, t('usage.total')); th.scope = 'row'; tr.append(th);
      for (const [, f] of cols.slice(1)) tr.append(el('td', 'num', f === 'secretarySeconds' ? minutes(total[f]) : String(total[f])));
      tbody.append(tr);
    }
    table.append(tbody);
    $('usage-note').textContent = t('usage.note', { step: u.stepSeconds });
    chart(u);
  }
  /** Calls (bars) and secretary minutes (narrow bars) per day of the month, as an SVG with a text equivalent. */
  function chart(u) {
    const ns = 'http://www.w3.org/2000/svg';
    const days = u.days || [];
    const W = 760, H = 200, left = 34, bottom = 22, top = 8;
    const maxCalls = Math.max(1, ...days.map((d) => d.calls));
    const maxMin = Math.max(1, ...days.map((d) => d.secretarySeconds / 60));
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    svg.setAttribute('role', 'img');
    const totalCalls = days.reduce((s, d) => s + d.calls, 0), totalMin = days.reduce((s, d) => s + d.secretarySeconds, 0);
    svg.setAttribute('aria-label', t('usage.chartLabel', { month: u.month, calls: totalCalls, minutes: minutes(totalMin) }));
    const slot = (W - left) / Math.max(1, days.length);
    const text = (x, y, s, anchor) => { const e = document.createElementNS(ns, 'text'); e.setAttribute('x', x); e.setAttribute('y', y); e.setAttribute('text-anchor', anchor || 'middle'); e.textContent = s; svg.append(e); };
    text(left - 4, top + 8, String(maxCalls), 'end');
    text(left - 4, H - bottom, '0', 'end');
    for (const d of days) {
      const x = left + (d.day - 1) * slot;
      const h = (H - bottom - top) * d.calls / maxCalls;
      const r = document.createElementNS(ns, 'rect');
      r.setAttribute('class', 'bar'); r.setAttribute('x', x + slot * 0.12); r.setAttribute('width', slot * 0.5);
      r.setAttribute('y', H - bottom - h); r.setAttribute('height', Math.max(0, h));
      const title = document.createElementNS(ns, 'title');
      title.textContent = t('usage.barTitle', { day: d.day, calls: d.calls, minutes: minutes(d.secretarySeconds) });
      r.append(title); svg.append(r);
      const h2 = (H - bottom - top) * (d.secretarySeconds / 60) / maxMin;
      const r2 = document.createElementNS(ns, 'rect');
      r2.setAttribute('class', 'bar2'); r2.setAttribute('x', x + slot * 0.64); r2.setAttribute('width', slot * 0.24);
      r2.setAttribute('y', H - bottom - h2); r2.setAttribute('height', Math.max(0, h2));
      svg.append(r2);
      if (d.day === 1 || d.day % 5 === 0) text(x + slot / 2, H - 6, String(d.day));
    }
    const legend = el('div', 'legend');
    const item = (cls, key) => { const s = el('span'); const i = el('i'); i.style.background = getComputedStyle(document.documentElement).getPropertyValue(cls === 'bar' ? '--accent' : '--warn'); s.append(i, el('span', null, t(key))); return s; };
    legend.append(item('bar', 'usage.legendCalls'), item('bar2', 'usage.legendMinutes'));
    $('usage-chart').append(svg, legend);
  }

  // ---------- admin
  async function loadAdmin() {
    if (!state.me || state.me.role !== 'admin') return;
    try {
      const book = await api('GET', '/api/v1/admin/book');
      $('book-yaml').value = book.yaml;
      gutter();
      $('book-problems').textContent = ''; $('book-result').hidden = true;
      await Promise.all([loadUsers(), loadTokens()]);
      if (window.VZCalendar) window.VZCalendar.adminPanel($('calendar-admin'));
    } catch (e) { toast(e.message); }
  }
  async function loadUsers() {
    const users = await api('GET', '/api/v1/admin/users');
    renderUsers(users.users);
    const sec = $('uf-secretary'); const keep = sec.value; sec.textContent = '';
    sec.append(new Option('—', ''));
    (state.secretaries || []).forEach((s) => sec.append(new Option(s, s)));
    sec.value = keep;
  }
  async function loadTokens() { renderTokens((await api('GET', '/api/v1/admin/tokens')).tokens); }
  // the editor's line numbers, in step with its text and its scrolling
  function gutter() {
    const lines = $('book-yaml').value.split('\n').length;
    const g = $('book-gutter');
    if (g.dataset.lines !== String(lines)) {
      g.textContent = Array.from({ length: lines }, (_, i) => i + 1).join('\n') + '\n';
      g.dataset.lines = String(lines);
    }
    g.scrollTop = $('book-yaml').scrollTop;
  }
  function caretLine() {
    const ta = $('book-yaml');
    $('book-pos').textContent = t('admin.bookLine', { line: ta.value.slice(0, ta.selectionStart).split('\n').length });
  }
  $('book-yaml').addEventListener('input', gutter);
  $('book-yaml').addEventListener('scroll', gutter);
  ['keyup', 'click'].forEach((e) => $('book-yaml').addEventListener(e, caretLine));
  function goToLine(n) {
    const ta = $('book-yaml');
    const lines = ta.value.split('\n');
    let pos = 0;
    for (let i = 0; i < Math.min(n - 1, lines.length); i++) pos += lines[i].length + 1;
    ta.focus();
    ta.setSelectionRange(pos, pos + (lines[n - 1] || '').length);
    const lh = parseFloat(getComputedStyle(ta).lineHeight) || 20;
    ta.scrollTop = Math.max(0, (n - 4) * lh);
    gutter(); caretLine();
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
      if (e.data && e.data.problems) {
        const head = el('li', null, t('err.book-rejected', { n: e.data.problems.length }));
        head.style.listStyle = 'none'; head.style.marginLeft = '-1.2rem';
        list.append(head);
        for (const p of e.data.problems) list.append(problemItem(p));
      } else list.append(el('li', null, e.message));
    }
  });
  /** A book problem in the page's language: where, the field and value as written, what is wrong; the line to go to. */
  function problemItem(p) {
    const li = el('li');
    if (p.line) {
      const b = el('button', null, t('admin.line', { line: p.line }));
      b.type = 'button';
      b.addEventListener('click', () => goToLine(p.line));
      li.append(b, document.createTextNode(' · '));
    }
    const parts = [where(p.where)];
    if (p.field) parts.push(p.value !== null && p.value !== undefined ? p.field + ' = ' + t('quote', { text: p.value }) : p.field);
    const why = has('book.' + p.code) ? t('book.' + p.code) : t('book.invalid');
    li.append(document.createTextNode(parts.join(' · ') + ': ' + why));
    return li;
  }
  function where(w) {
    let m = /^(client|secretary) '(.*)'$/.exec(w || '');
    if (m) return t('where.' + m[1], { id: m[2] });
    m = /^(clients|secretaries)\[(\d+)\]$/.exec(w || '');
    if (m) return t('where.' + m[1] + 'N', { n: Number(m[2]) + 1 });
    return has('where.' + w) ? t('where.' + w) : w;
  }
  function renderUsers(users) {
    const tb = $('users'); tb.textContent = '';
    const h = el('tr'); ['admin.username', 'admin.role', 'admin.secretary', 'admin.actions'].forEach((k) => { const th = el('th', null, t(k)); th.scope = 'col'; h.append(th); });
    tb.append(h);
    for (const u of users) {
      const r = el('tr');
      r.append(el('td', null, u.username + (u.disabled ? ' (' + t('admin.disabled') + ')' : '')), el('td', null, t('role.' + u.role)), el('td', null, u.secretary || '—'));
      const td = el('td');
      const edit = el('button', 'btn small ghost', t('admin.edit'));
      edit.type = 'button';
      edit.setAttribute('aria-label', t('admin.editUser', { user: u.username }));
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
      $('uf-password').value = ''; toast(t('admin.userSaved')); await loadUsers();
    } catch (e) { $('uf-error').textContent = e.message; $('uf-error').hidden = false; }
  });
  function renderTokens(tokens) {
    const tb = $('tokens'); tb.textContent = '';
    if (tokens.length) {
      const h = el('tr'); ['admin.tokenNameLabel', 'admin.tokenState', 'admin.actions'].forEach((k) => { const th = el('th', null, t(k)); th.scope = 'col'; h.append(th); });
      tb.append(h);
    }
    for (const k of tokens) {
      const r = el('tr');
      r.append(el('td', null, k.name), el('td', 'muted', k.revokedAt ? t('admin.revoked') : (k.lastUsedAt ? t('admin.lastUsed', { time: fmtTime(k.lastUsedAt) }) : t('admin.unused'))));
      const td = el('td');
      if (!k.revokedAt) {
        const b = el('button', 'btn small ghost', t('admin.revoke'));
        b.type = 'button';
        b.setAttribute('aria-label', t('admin.revokeToken', { name: k.name }));
        b.addEventListener('click', async () => { try { await api('DELETE', '/api/v1/admin/tokens/' + k.id); await loadTokens(); } catch (e) { toast(e.message); } });
        td.append(b);
      }
      r.append(td); tb.append(r);
    }
  }
  // A new token: shown once with a copy button; only the token list is reloaded, so book edits in progress stay.
  $('token-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const r = await api('POST', '/api/v1/admin/tokens', { name: $('tf-name').value });
      $('token-value').textContent = r.token; $('token-new').hidden = false; $('token-copied').textContent = '';
      $('tf-name').value = '';
      await loadTokens();
      $('token-copy').focus();
    } catch (e) { toast(e.message); }
  });
  $('token-copy').addEventListener('click', async () => {
    const value = $('token-value').textContent;
    try {
      await navigator.clipboard.writeText(value);
      $('token-copied').textContent = t('admin.copied');
    } catch (e) {
      const range = document.createRange(); range.selectNodeContents($('token-value'));
      const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
      $('token-copied').textContent = t('admin.copySelected');
    }
  });

  // ---------- keyboard: shortcuts for the common actions (listed in the ? dialog and docs/console.md)
  function typing(elm) {
    if (!elm) return false;
    const tag = elm.tagName;
    return tag === 'TEXTAREA' || tag === 'SELECT' || elm.isContentEditable
      || (tag === 'INPUT' && !['checkbox', 'radio', 'button', 'submit'].includes(elm.type));
  }
  $('keys-open').addEventListener('click', () => $('keys-dialog').showModal());
  document.addEventListener('keydown', (ev) => {
    if (!state.me || $('app-view').hidden) return;
    if ($('keys-dialog').open) return; // the dialog closes itself on Escape
    const inForm = $('message-form').contains(document.activeElement);
    if (inForm && ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); saveMessage(); return; }
    if (ev.key === 'Escape' && !$('message-panel').hidden) { ev.preventDefault(); closeMessageForm(); return; }
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(document.activeElement)) return;
    const views = ['calls', 'inbox', 'board', 'usage', 'admin'];
    if (/^[1-5]$/.test(ev.key)) {
      const v = views[Number(ev.key) - 1];
      const tab = document.querySelector('.tab[data-view="' + v + '"]');
      if (tab && getComputedStyle(tab).display !== 'none') { ev.preventDefault(); show(v, true); }
      return;
    }
    const key = ev.key.toLowerCase();
    if (ev.key === '?') { ev.preventDefault(); $('keys-dialog').showModal(); return; }
    if (key === 'j' || key === 'k') {
      const cards = [...document.querySelectorAll('.call-card')];
      if (!cards.length) return;
      ev.preventDefault();
      const at = cards.indexOf(document.activeElement && document.activeElement.closest ? document.activeElement.closest('.call-card') : null);
      const next = key === 'j' ? Math.min(cards.length - 1, at + 1) : Math.max(0, at - 1);
      cards[next].focus();
      return;
    }
    const choice = { d: 'put-through', n: 'message', m: 'voicemail' }[key];
    if (!choice) return;
    const c = activeCall();
    ev.preventDefault();
    if (c) { if (state.view !== 'calls') show('calls'); choose(c, choice); } else if (choice === 'message') openMessageForm({});
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
