// Users: every account and sub-user of the dealer with the library's answer and why.
'use strict';

const UserText = {
  kind(user) {
    const parts = [user.kind === 'sub_user' ? 'Sub-user of ' + user.account_id : 'Account'];
    if (user.origin === 'imported') parts.push('imported');
    if (user.demo) parts.push('demo');
    return parts.join(', ');
  },
  requirement(user) {
    const r = user.requirement;
    if (r.required) return 'Required: ' + Nvx.factorList(r.factor_types);
    return r.reason === 'demo_account' ? 'Never asked (demo)' : 'Not required';
  },
  authenticator(user) {
    return user.authenticator_enrolled
      ? 'Enrolled, ' + user.recovery_codes_left + ' recovery code' + (user.recovery_codes_left === 1 ? '' : 's') + ' left'
      : 'None';
  },
};

(() => {
  if (!document.getElementById('users')) return;
  Admin.start();
  const body = document.querySelector('#users tbody');
  const message = document.getElementById('users-message');

  async function load() {
    const answer = await Admin.call('panel/user/mfa/list', {});
    if (!answer.success) {
      Nvx.say(message, Nvx.describe(answer), 'error');
      return;
    }
    body.replaceChildren(...answer.list.map((user) => {
      const e = Nvx.element;
      const who = e('td', { 'data-label': 'User', class: user.kind === 'sub_user' ? 'sub' : null },
        e('strong', { text: user.name }), e('br'), e('span', { class: 'muted', text: user.login + ' · id ' + user.id }));
      const edit = e('a', { href: '/admin/user.html?id=' + user.id, text: 'Edit', 'aria-label': 'Edit ' + user.login });
      return e('tr', { 'data-login': user.login, 'data-id': user.id },
        who,
        e('td', { 'data-label': 'Kind', class: 'kind', text: UserText.kind(user) }),
        e('td', { 'data-label': 'Two-factor', class: 'requirement ' + (user.requirement.required ? 'on' : 'off'), text: UserText.requirement(user) }),
        e('td', { 'data-label': 'Why', class: 'why', text: user.requirement.explanation }),
        e('td', { 'data-label': 'Authenticator', class: 'authenticator', text: UserText.authenticator(user) }),
        e('td', { 'data-label': 'Actions' }, edit));
    }));
  }

  load();
})();
