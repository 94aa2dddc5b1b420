// The console's escalation view: urgent messages climbing their client's on-call list. Who was tried, when, how
// each step ended, who confirmed; stop and restart. Kept apart from app.js, which calls window.vzEscalations.load()
// when the view opens. Talks only to /api/v1/escalations (and /api/v1/session for the CSRF token).
(function () {
  'use strict';
  const TEXT = {
    de: {
      title: 'Bereitschaft', empty: 'Keine Eskalationen.', open: 'nur unbestätigte', refresh: 'Aktualisieren',
      message: 'Nachricht', round: 'Runde', stop: 'Anhalten', restart: 'Neu starten', confirmedBy: 'bestätigt von',
      stoppedBy: 'angehalten von', via: { sms: 'per SMS', call: 'am Telefon (1)', console: 'in der Konsole', email: 'per E-Mail' },
      state: { running: 'läuft', confirmed: 'bestätigt', stopped: 'angehalten', exhausted: 'niemand erreicht' },
      channel: { sms: 'SMS', call: 'Anruf' }, due: 'fällig', placed: 'gewählt', ended: 'Ende',
      outcome: { sent: 'gesendet', confirmed: 'bestätigt', answered: 'angenommen, nicht bestätigt', 'no-answer': 'nicht angenommen',
        busy: 'besetzt', failed: 'fehlgeschlagen', unknown: 'Ende unbekannt', cancelled: 'entfallen' },
      outbox: { pending: 'wartet', sending: 'wird gesendet', sent: 'gesendet', failed: 'fehlgeschlagen', cancelled: 'entfallen' },
      attempts: 'Versuche'
    },
    en: {
      title: 'On call', empty: 'No escalations.', open: 'unconfirmed only', refresh: 'Refresh',
      message: 'Message', round: 'round', stop: 'Stop', restart: 'Restart', confirmedBy: 'confirmed by',
      stoppedBy: 'stopped by', via: { sms: 'by SMS', call: 'on the phone (1)', console: 'in the console', email: 'by e-mail' },
      state: { running: 'running', confirmed: 'confirmed', stopped: 'stopped', exhausted: 'nobody reached' },
      channel: { sms: 'SMS', call: 'Call' }, due: 'due', placed: 'dialled', ended: 'ended',
      outcome: { sent: 'sent', confirmed: 'confirmed', answered: 'answered, not confirmed', 'no-answer': 'not answered',
        busy: 'busy', failed: 'failed', unknown: 'end unknown', cancelled: 'not needed' },
      outbox: { pending: 'waiting', sending: 'sending', sent: 'sent', failed: 'failed', cancelled: 'not needed' },
      attempts: 'attempts'
    }
  };
  let csrf = null;
  let timer = null;

  function t() { return TEXT[(document.documentElement.lang || 'de').startsWith('en') ? 'en' : 'de']; }
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function when(iso) {
    if (!iso) return '';
    return new Date(iso).toLocaleString(document.documentElement.lang || 'de',
      { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  async function call(method, path) {
    const headers = { Accept: 'application/json' };
    if (method !== 'GET') {
      if (!csrf) csrf = (await (await fetch('/api/v1/session', { credentials: 'same-origin' })).json()).csrf;
      headers['X-CSRF-Token'] = csrf;
    }
    const r = await fetch(path, { method, headers, credentials: 'same-origin' });
    const body = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(body.error || ('HTTP ' + r.status));
    return body;
  }

  async function load() {
    const box = document.getElementById('escalations');
    if (!box) return;
    const only = document.getElementById('esc-open');
    try {
      const list = await call('GET', '/api/v1/escalations?limit=100&state=' + (only && only.checked ? 'open' : 'all'));
      render(box, list);
    } catch (e) {
      box.textContent = '';
      box.append(el('p', 'error', e.message));
    }
    clearTimeout(timer);
    const view = document.getElementById('view-escalations');
    if (view && !view.hidden) timer = setTimeout(load, 5000);
  }

  function render(box, list) {
    const x = t();
    box.textContent = '';
    if (!list.length) { box.append(el('div', 'empty', x.empty)); return; }
    const focus = /^#message\/(\d+)$/.exec(location.hash);
    for (const e of list) {
      const card = el('article', 'msg esc st-' + e.state + (e.state === 'confirmed' ? '' : ' is-urgent'));
      card.dataset.message = e.message;
      const top = el('div', 'msg-top');
      top.append(el('span', 'msg-client', e.client));
      top.append(el('span', 'badge' + (e.state === 'confirmed' ? '' : ' urgent'), x.state[e.state] || e.state));
      top.append(el('span', 'muted', x.message + ' ' + e.message + ' · ' + x.round + ' ' + e.round));
      top.append(el('span', 'muted right', when(e.started_at)));
      card.append(top);
      if (e.confirmed_at) {
        card.append(el('div', 'msg-caller', x.confirmedBy + ' ' + (e.confirmed_by || '') + ' ' +
          (x.via[e.confirmed_via] || '') + ', ' + when(e.confirmed_at)));
      } else if (e.stopped_at) {
        card.append(el('div', 'msg-caller', x.stoppedBy + ' ' + e.stopped_by + ', ' + when(e.stopped_at)));
      }
      const steps = el('table', 'table esc-steps');
      for (const s of e.steps) {
        const tr = el('tr');
        tr.append(el('td', null, '#' + s.step));
        tr.append(el('td', null, (x.channel[s.channel] || s.channel)));
        tr.append(el('td', null, s.person + ' (' + s.number + ')'));
        tr.append(el('td', 'muted', (s.placed_at ? x.placed + ' ' + when(s.placed_at) : x.due + ' ' + when(s.due_at))));
        const out = s.outcome ? (x.outcome[s.outcome] || s.outcome)
          : (x.outbox[s.outbox_state] || s.outbox_state || '');
        const detail = s.last_error && s.outcome !== 'cancelled' ? ' – ' + s.last_error : '';
        tr.append(el('td', null, out + (s.attempts > 1 ? ' (' + s.attempts + ' ' + x.attempts + ')' : '') + detail));
        tr.append(el('td', 'muted', s.ended_at ? x.ended + ' ' + when(s.ended_at) : ''));
        steps.append(tr);
      }
      card.append(steps);
      const acts = el('div', 'actions');
      if (e.state === 'running') acts.append(button(x.stop, 'stop', e.message));
      if (e.state !== 'confirmed') acts.append(button(x.restart, 'restart', e.message));
      card.append(acts);
      box.append(card);
      if (focus && focus[1] === String(e.message)) card.scrollIntoView({ block: 'center' });
    }
  }

  function button(label, what, message) {
    const b = el('button', 'btn small' + (what === 'stop' ? ' ghost' : ''), label);
    b.dataset.action = what;
    b.addEventListener('click', async () => {
      b.disabled = true;
      try { await call('POST', '/api/v1/escalations/' + message + '/' + what); } catch (e) { alert(e.message); }
      load();
    });
    return b;
  }

  document.addEventListener('DOMContentLoaded', () => {
    const only = document.getElementById('esc-open');
    if (only) only.addEventListener('change', load);
    const again = document.getElementById('esc-refresh');
    if (again) again.addEventListener('click', load);
    const title = document.getElementById('esc-title');
    if (title) title.textContent = t().title;
  });
  window.vzEscalations = { load };
}());
