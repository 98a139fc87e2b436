// Admin Panel sign-in: panel/account/auth, then Settings → Security.
'use strict';

(() => {
  const form = document.getElementById('panel-form');
  const message = document.getElementById('panel-message');
  if (new URLSearchParams(location.search).has('ended')) {
    Nvx.say(message, 'Your panel session has ended. Sign in again.', 'info');
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const login = form.login.value.trim();
    const password = form.password.value;
    if (!login || !password) {
      Nvx.say(message, 'Enter your login and password.', 'error');
      (login ? form.password : form.login).focus();
      return;
    }

    const answer = await Nvx.call('panel/account/auth', { login, password });
    if (!answer.success) {
      const wait = Nvx.waitOf(answer);
      Nvx.say(message, answer.status.code === 105
        ? 'Too many failed attempts. Try again later' + (wait ? ' (in ' + Nvx.seconds(wait) + ')' : '') + '.'
        : Nvx.describe(answer), 'error');
      form.password.select();
      return;
    }

    const users = (answer.permissions && answer.permissions.users) || [];
    Nvx.store.set('panel', { hash: answer.hash, login, canUpdate: users.includes('update') });
    location.assign('/admin/security.html');
  });
})();
