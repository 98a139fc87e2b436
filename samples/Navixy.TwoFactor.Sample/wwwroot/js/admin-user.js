// Edit user → Two-factor authentication: one account's setting (sub-users follow it), admin reset of an authenticator, unlock.
'use strict';

(() => {
  const panel = Admin.start();
  const id = Number(new URLSearchParams(location.search).get('id'));
  const message = document.getElementById('user-message');
  const form = document.getElementById('user-form');
  const result = document.getElementById('user-result');
  let user = null;

  function syncFactors() {
    const on = form.querySelector('input[name="user-state"]:checked')?.value === 'on';
    document.getElementById('user-factors').disabled = !on || !panel.canUpdate;
  }

  async function load() {
    const answer = await Admin.call('panel/user/mfa/list', {});
    if (!answer.success) {
      Nvx.say(message, Nvx.describe(answer), 'error');
      return;
    }
    user = answer.list.find((u) => u.id === id);
    if (!user) {
      Nvx.say(message, 'No user with id ' + (id || '?') + ' in this dealer.', 'error');
      return;
    }
    document.getElementById('user-body').hidden = false;
    document.title = user.login + ' · Edit user · Admin Panel';
    document.getElementById('user-name').textContent = user.name;
    document.getElementById('user-login').textContent = user.login + ' (id ' + user.id + ')';
    document.getElementById('user-kind').textContent = UserText.kind(user);
    document.getElementById('user-requirement').textContent = UserText.requirement(user);
    document.getElementById('user-why').textContent = user.requirement.explanation;
    document.getElementById('app-state').textContent = 'Now: ' + UserText.authenticator(user) + '.';

    const note = document.getElementById('setting-note');
    if (user.kind === 'sub_user') {
      form.hidden = true;
      note.replaceChildren('Sub-users have no setting of their own: this one follows ',
        Nvx.element('a', { href: '/admin/user.html?id=' + user.account_id, text: 'account ' + user.account_id }), '.');
      return;
    }
    const subUsers = answer.list.filter((u) => u.kind === 'sub_user' && u.account_id === user.id).map((u) => u.login);
    note.textContent = (user.demo
      ? 'This is a demo account: 2FA settings do not apply to demo users, whatever is saved here. '
      : '') + (subUsers.length ? 'Its sub-users follow this setting: ' + subUsers.join(', ') + '.' : 'It has no sub-users.');
    Admin.writeSettings(form, 'user', user.settings);
    syncFactors();
  }

  form.addEventListener('change', syncFactors);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const settings = Admin.readSettings(form, 'user');
    if (settings.type === 'allowed' && settings.factor_types.length === 0) {
      Nvx.say(result, 'Choose at least one factor type.', 'error');
      return;
    }
    const answer = await Admin.call('panel/user/mfa/settings/update', { target: { type: 'selected', ids: [id] }, settings });
    if (!answer.success) {
      Nvx.say(result, Nvx.describe(answer), 'error');
      return;
    }
    Nvx.say(result, 'Saved: ' + Admin.describeSettings(settings) + '.', 'ok');
    await load();
  });

  document.getElementById('reset').addEventListener('click', async () => {
    const out = document.getElementById('reset-result');
    const answer = await Admin.call('panel/user/mfa/reset', { user_id: id });
    if (!answer.success) {
      Nvx.say(out, Nvx.describe(answer), 'error');
      return;
    }
    Nvx.say(out, answer.removed ? 'Reset: the authenticator app and recovery codes were removed.' : 'Nothing to reset: no authenticator app or recovery codes.', 'ok');
    await load();
  });

  document.getElementById('unlock').addEventListener('click', async () => {
    const out = document.getElementById('unlock-result');
    const answer = await Admin.call('panel/user/mfa/unlock', { user_id: id });
    if (!answer.success) {
      Nvx.say(out, Nvx.describe(answer), 'error');
      return;
    }
    Nvx.say(out, answer.unlocked ? 'Unlocked: the user can sign in again now.' : 'Nothing to unlock: the user is not locked and has no wrong codes counted.', 'ok');
  });

  load();
})();
