// Shared by every page: calls to the sample's JSON API, the session hashes kept for this tab, and small helpers.
'use strict';

const Nvx = (() => {
  const failure = (description) => ({ success: false, status: { code: 0, description }, retryAfter: null });

  // POST {body} to /path with the session hash; answers the parsed body with retryAfter (seconds) from Retry-After.
  async function call(path, body, hash) {
    const headers = { 'Content-Type': 'application/json' };
    if (hash) headers.Authorization = 'NVX ' + hash;
    let response;
    try {
      response = await fetch('/' + path, { method: 'POST', headers, body: JSON.stringify(body || {}), cache: 'no-store' });
    } catch {
      return failure('The server cannot be reached. Check that the sample is running.');
    }
    let data;
    try {
      data = await response.json();
    } catch {
      return failure('The server answered something unexpected (HTTP ' + response.status + ').');
    }
    const retryAfter = response.headers.get('Retry-After');
    data.retryAfter = retryAfter === null ? null : Number(retryAfter);
    return data;
  }

  // Session hashes live in this tab only (sessionStorage), one per API, like Navixy's separate sessions.
  const store = {
    get(name) {
      try { return JSON.parse(sessionStorage.getItem('nvx.' + name)); } catch { return null; }
    },
    set(name, value) { sessionStorage.setItem('nvx.' + name, JSON.stringify(value)); },
    clear(name) { sessionStorage.removeItem('nvx.' + name); },
  };

  // Device tokens (remembered devices) outlive the tab: localStorage, one per login, sent at the next user/auth.
  const devices = {
    key: (login) => 'nvx.device.' + String(login).trim().toLowerCase(),
    get(login) {
      try { return JSON.parse(localStorage.getItem(devices.key(login))); } catch { return null; }
    },
    set(login, value) { localStorage.setItem(devices.key(login), JSON.stringify(value)); },
    clear(login) { localStorage.removeItem(devices.key(login)); },
  };

  // Writes a message into a live region: kind 'error' (role=alert), 'ok' or 'info'.
  function say(element, text, kind) {
    element.textContent = text;
    element.className = 'message ' + (kind || 'info');
    element.hidden = !text;
  }

  function describe(answer) {
    return answer && answer.status ? answer.status.description : 'Unknown error.';
  }

  function seconds(total) {
    const s = Math.max(0, Math.ceil(total));
    return s >= 120 ? Math.floor(s / 60) + ' min ' + (s % 60) + ' s' : s + ' s';
  }

  function clock(total) {
    const s = Math.max(0, Math.ceil(total));
    return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
  }

  // A moment from the server (ISO 8601) in the reader's own time zone and words.
  function when(iso) {
    return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }

  // The value of an <input type="datetime-local"> (the reader's local time) as ISO 8601 in UTC; null when empty.
  function moment(input) {
    if (!input.value) return null;
    const date = new Date(input.value);
    return Number.isNaN(date.getTime()) ? null : date.toISOString();
  }

  // A period in seconds in words: "Off" for 0, else days, hours and minutes.
  function period(total, off) {
    const s = Math.max(0, Math.round(total));
    if (s === 0) return off || 'Off';
    const parts = [[Math.floor(s / 86400), 'day'], [Math.floor(s % 86400 / 3600), 'hour'], [Math.floor(s % 3600 / 60), 'minute']]
      .filter(([n]) => n > 0).map(([n, unit]) => n + ' ' + unit + (n === 1 ? '' : 's'));
    return parts.length ? parts.join(' ') : s + ' s';
  }

  // Calls tick(secondsLeft) every second until zero, then done(); answers a function that stops it.
  function countdown(total, tick, done) {
    const end = Date.now() + total * 1000;
    let timer = null;
    const step = () => {
      const left = Math.ceil((end - Date.now()) / 1000);
      if (left <= 0) {
        clearInterval(timer);
        tick(0);
        if (done) done();
        return;
      }
      tick(left);
    };
    timer = setInterval(step, 1000);
    step();
    return () => clearInterval(timer);
  }

  // The wait of a refusal: Retry-After, else the "in N s" of the description.
  function waitOf(answer) {
    if (answer.retryAfter !== null && !Number.isNaN(answer.retryAfter)) return answer.retryAfter;
    const match = /in (\d+) s/.exec(describe(answer));
    return match ? Number(match[1]) : null;
  }

  function element(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === false || value === null || value === undefined) continue;
      if (name === 'text') node.textContent = value;
      else node.setAttribute(name, value === true ? '' : value);
    }
    for (const child of children) node.append(child);
    return node;
  }

  const factorNames = { email: 'email code', totp: 'authenticator app' };
  const factorList = (types) => types.map((t) => factorNames[t] || t).join(' or ');

  return { call, store, devices, say, describe, seconds, clock, countdown, waitOf, element, factorList, when, moment, period };
})();
