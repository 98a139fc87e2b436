// Audit trail: panel/user/mfa/audit/list, newest first, a page at a time ("Show more" passes next_cursor), filtered by
// user and time. Each entry in words: what changed, for whom, the settings before and after.
'use strict';

(() => {
  Admin.start();
  const $ = (id) => document.getElementById(id);
  const PAGE = 10;
  const body = document.querySelector('#audit tbody');
  const message = $('audit-message');
  const logins = new Map(); // user id → login, for the names in entries
  let query = {};
  let cursor = null;

  const actions = {
    update_all: 'Settings of all accounts',
    update_selected: 'Settings of selected accounts',
    update_default: 'Default for new users',
    enforce_for_everyone: 'All users and new users',
    enrollment_added: 'Authenticator app added',
    enrollment_removed: 'Authenticator app removed',
    admin_reset: 'Authenticator reset by an administrator',
    unlock: 'Unlocked after wrong codes',
    devices_forgotten: 'Remembered devices forgotten',
    remember_period_changed: 'Remember period for devices',
    enrollment_period_changed: 'Enrolment period for authenticator apps',
    scheduled_change_cancelled: 'Scheduled change cancelled',
  };

  const name = (id) => logins.get(id) || 'user ' + id;

  // The library writes a period as a .NET TimeSpan ("7.00:00:00").
  function periodOf(detail) {
    const m = /^(?:(\d+)\.)?(\d+):(\d+):(\d+)/.exec(detail || '');
    return m ? Nvx.period(Number(m[1] || 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4])) : detail;
  }

  function change(entry) {
    if (entry.action === 'scheduled_change_cancelled') {
      // The cancelled change: what it would have done, from when.
      return 'Will not apply: ' + (actions[entry.cancelled_action] || entry.cancelled_action) +
        (entry.settings_after ? ' → ' + Admin.describeSettings(entry.settings_after) : '') + ' from ' + Nvx.when(entry.effective_from);
    }
    const parts = [];
    if (entry.effective_from) {
      parts.push('Scheduled for ' + Nvx.when(entry.effective_from));
    }
    if (entry.settings_after) {
      parts.push((entry.settings_before ? Admin.describeSettings(entry.settings_before) : '—') + ' → ' + Admin.describeSettings(entry.settings_after));
    }
    if (entry.users_before) {
      parts.push('before: ' + entry.users_before.map((c) => c.count + ' × ' + Admin.describeSettings(c.settings)).join(', '));
    }
    if (entry.action === 'remember_period_changed' || entry.action === 'enrollment_period_changed') {
      parts.push('now ' + periodOf(entry.detail));
    }
    return parts.join('; ');
  }

  function row(entry) {
    const e = Nvx.element;
    const who = entry.user_id ? name(entry.user_id) : entry.user_ids ? entry.user_ids.map(name).join(', ') : null;
    return e('tr', { 'data-id': entry.id, 'data-action': entry.action },
      e('td', { 'data-label': 'When', text: Nvx.when(entry.time) }),
      e('td', { 'data-label': 'Who', class: 'actor', text: entry.actor }),
      e('td', { 'data-label': 'What', class: 'what' }, e('strong', { text: actions[entry.action] || entry.action }), who ? e('br') : '', who ? e('span', { class: 'muted', text: who }) : ''),
      e('td', { 'data-label': 'Change', class: 'change', text: change(entry) }));
  }

  async function more(first) {
    const answer = await Admin.call('panel/user/mfa/audit/list', { ...query, limit: PAGE, ...(first ? {} : { cursor }) });
    if (!answer.success) {
      Nvx.say(message, Nvx.describe(answer), 'error');
      return;
    }
    if (first) body.replaceChildren();
    body.append(...answer.list.map(row));
    cursor = answer.next_cursor || null;
    $('audit-more').hidden = !cursor;
    const shown = body.children.length;
    Nvx.say(message, shown === 0 ? 'No changes match.' : shown + ' change' + (shown === 1 ? '' : 's') + ' shown' + (cursor ? '; there are more.' : '.'), 'info');
  }

  $('audit-filter').addEventListener('submit', async (event) => {
    event.preventDefault();
    const user = $('audit-user').value;
    const from = Nvx.moment($('audit-from'));
    const to = Nvx.moment($('audit-to'));
    query = { ...(user ? { user_id: Number(user) } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) };
    await more(true);
  });

  $('audit-more').addEventListener('click', () => more(false));

  async function load() {
    const users = await Admin.call('panel/user/mfa/list', {});
    if (users.success) {
      for (const u of users.list) logins.set(u.id, u.login);
      $('audit-user').append(...users.list.map((u) => Nvx.element('option', { value: u.id, text: u.login })));
    }
    await more(true);
  }

  load();
})();
