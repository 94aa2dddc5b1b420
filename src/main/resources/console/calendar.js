// Vorzimmer console: the client's calendar and public holidays. Plain JS, no build step; text only through
// textContent. app.js calls the hooks below: statusExtras (board and screen-pop status line), callPanel (the
// screen-pop's free/busy and booking form), adminPanel (fetch state and errors of every calendar).
'use strict';
window.VZCalendar = (function () {
  let h = null; // helpers from app.js: api, t, el, fmtTime, toast, lang
  // The screen-pop is drawn again on every call event: a call keeps its panel (and what the secretary typed).
  const panels = new Map();

  const TEXT = {
    de: {
      calendar: 'Kalender', holiday: 'Feiertag', until: 'bis {time}', staleSince: 'Kalender veraltet seit {time}',
      freeBusy: 'Belegt in den nächsten Tagen', free: 'keine Termine', book: 'Termin eintragen', title: 'Titel',
      start: 'Beginn', minutes: 'Minuten', note: 'Notiz', sms: 'Bestätigung per SMS an den Anrufer', save: 'Eintragen',
      booked: 'Termin eingetragen', refused: 'Nicht eingetragen: {reason}', unknown: 'Kalender noch nicht gelesen',
      adminTitle: 'Kalender', adminClient: 'Mandant', adminState: 'Stand', adminError: 'Letzter Fehler', ok: 'aktuell',
      stale: 'veraltet seit {time}', fetchNow: 'Jetzt abrufen', fetched: 'Abgerufen', never: 'nie',
    },
    en: {
      calendar: 'Calendar', holiday: 'Public holiday', until: 'until {time}', staleSince: 'calendar stale since {time}',
      freeBusy: 'Busy in the next days', free: 'no appointments', book: 'Book appointment', title: 'Title',
      start: 'Start', minutes: 'Minutes', note: 'Note', sms: 'Confirm to the caller by SMS', save: 'Book',
      booked: 'Appointment booked', refused: 'Not booked: {reason}', unknown: 'calendar not read yet',
      adminTitle: 'Calendars', adminClient: 'Client', adminState: 'State', adminError: 'Last error', ok: 'current',
      stale: 'stale since {time}', fetchNow: 'Fetch now', fetched: 'Fetched', never: 'never',
    },
  };
  function tx(key, vars) {
    let s = (TEXT[h.lang()] || TEXT.de)[key] || key;
    if (vars) for (const k of Object.keys(vars)) s = s.replace('{' + k + '}', vars[k]);
    return s;
  }

  function init(helpers) { h = helpers; }

  /** Adds to a status line: which source decided (calendar, holiday), when it ends, and a stale calendar. */
  function statusExtras(box, st) {
    if (!h || !st) return;
    if (st.source === 'calendar' || st.source === 'holiday') {
      const what = st.source === 'calendar' ? tx('calendar') : tx('holiday');
      const text = what + (st.until ? ' · ' + tx('until', { time: h.fmtTime(st.until) }) : '');
      box.append(h.el('span', 'badge cal-source cal-' + st.source, text));
    }
    if (st.calendarStaleSince) box.append(h.el('span', 'badge cal-stale', tx('staleSince', { time: h.fmtTime(st.calendarStaleSince) })));
  }

  /** The screen-pop's calendar part: free/busy of the next days and, where the calendar takes bookings, the form. */
  function callPanel(call) {
    if (panels.has(call.callId)) return panels.get(call.callId);
    const box = h.el('div', 'cal-panel');
    if (!call.client) return box;
    panels.set(call.callId, box);
    if (panels.size > 50) panels.delete(panels.keys().next().value);
    box.append(h.el('div', 'label', tx('freeBusy')));
    const list = h.el('ul', 'cal-busy');
    box.append(list);
    load(call, box, list);
    return box;
  }

  async function load(call, box, list) {
    let fb;
    try { fb = await h.api('GET', '/api/v1/clients/' + encodeURIComponent(call.client) + '/calendar?days=7'); } catch (e) { return; }
    list.textContent = '';
    if (fb.calendar && !fb.known) list.append(h.el('li', 'muted', tx('unknown')));
    for (const d of fb.holidayDates) list.append(h.el('li', 'cal-holiday', d.date + ' · ' + tx('holiday') + ' ' + d.name));
    for (const b of fb.busy) list.append(h.el('li', null, h.fmtTime(b.start) + ' – ' + h.fmtTime(b.end) + ' · ' + b.note));
    if (fb.calendar && fb.known && fb.busy.length === 0) list.append(h.el('li', 'muted', tx('free')));
    if (fb.staleSince) box.append(h.el('div', 'badge cal-stale', tx('staleSince', { time: h.fmtTime(fb.staleSince) })));
    if (fb.bookInto) box.append(bookingForm(call));
  }

  function bookingForm(call) {
    const f = h.el('form', 'cal-book stack');
    f.append(h.el('div', 'label', tx('book')));
    const title = input(f, tx('title'), 'text'); title.required = true; title.maxLength = 500;
    title.value = (call.caller && (call.caller.name || call.caller.contact)) || '';
    const start = input(f, tx('start'), 'datetime-local'); start.required = true;
    const minutes = input(f, tx('minutes'), 'number'); minutes.value = '30'; minutes.min = '5'; minutes.max = '1440';
    const note = input(f, tx('note'), 'text'); note.maxLength = 500;
    const smsBox = h.el('label', 'check');
    const sms = h.el('input'); sms.type = 'checkbox';
    smsBox.append(sms, h.el('span', null, ' ' + tx('sms')));
    f.append(smsBox);
    const err = h.el('p', 'error'); err.hidden = true; err.setAttribute('role', 'alert');
    f.append(err);
    const ok = h.el('button', 'btn', tx('save')); ok.type = 'submit';
    f.append(ok);
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault(); err.hidden = true;
      const who = call.caller || {};
      try {
        await h.api('POST', '/api/v1/clients/' + encodeURIComponent(call.client) + '/appointments', {
          start: start.value, minutes: Number(minutes.value), title: title.value, note: note.value || undefined,
          callerName: who.name || who.contact || undefined, callerNumber: who.number || undefined, sms: sms.checked });
        h.toast(tx('booked'));
        f.reset();
      } catch (e) {
        err.textContent = e.status === 409 && e.data && e.data.reason ? tx('refused', { reason: e.data.reason }) : e.message;
        err.hidden = false;
      }
    });
    return f;
  }

  function input(form, label, type) {
    const l = h.el('label');
    l.append(h.el('span', null, label));
    const i = h.el('input'); i.type = type;
    l.append(i);
    form.append(l);
    return i;
  }

  /** The admin's view: each calendar's state, its last error (URL, HTTP status, the line of a parse problem). */
  async function adminPanel(panel) {
    if (!h || !panel) return;
    panel.textContent = '';
    panel.append(h.el('h2', null, tx('adminTitle')));
    let r;
    try { r = await h.api('GET', '/api/v1/admin/calendars'); } catch (e) { panel.append(h.el('p', 'error', e.message)); return; }
    const table = h.el('table', 'table cal-admin');
    const head = h.el('tr');
    for (const k of ['adminClient', 'adminState', 'adminError', '']) head.append(h.el('th', null, k ? tx(k) : ''));
    table.append(head);
    for (const c of r.calendars) {
      const tr = h.el('tr');
      tr.dataset.client = c.client;
      tr.append(h.el('td', null, c.client));
      tr.append(h.el('td', c.ok ? 'ok' : 'error', c.ok ? tx('ok') + ' · ' + tx('fetched') + ' ' + (c.goodAt ? h.fmtTime(c.goodAt) : tx('never'))
        : tx('stale', { time: h.fmtTime(c.staleSince) })));
      tr.append(h.el('td', 'small', c.error || ''));
      const td = h.el('td');
      const b = h.el('button', 'btn small', tx('fetchNow'));
      b.addEventListener('click', async () => {
        try { await h.api('POST', '/api/v1/clients/' + encodeURIComponent(c.client) + '/calendar/sync', {}); } catch (e) { h.toast(e.message); }
        adminPanel(panel);
      });
      td.append(b);
      tr.append(td);
      table.append(tr);
    }
    panel.append(table);
  }

  return { init, statusExtras, callPanel, adminPanel };
})();
