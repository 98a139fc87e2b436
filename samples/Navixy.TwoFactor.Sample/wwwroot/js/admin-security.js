// Settings → Security: the "all users" switch (preview with a dry run, then apply) and the default for new users.
'use strict';

(() => {
  const panel = Admin.start();
  const allForm = document.getElementById('all-form');
  const allResult = document.getElementById('all-result');
  const allConfirm = document.getElementById('all-confirm');
  const defaultForm = document.getElementById('default-form');
  const defaultResult = document.getElementById('default-result');
  let previewed = null;

  // Factor types mean something only when the switch is on.
  function syncFactors(form, prefix) {
    const on = form.querySelector('input[name="' + prefix + '-state"]:checked')?.value === 'on';
    document.getElementById(prefix + '-factors').disabled = !on || !panel.canUpdate;
  }

  function validate(settings, result) {
    if (settings.type === 'allowed' && settings.factor_types.length === 0) {
      Nvx.say(result, 'Choose at least one factor type.', 'error');
      return false;
    }
    return true;
  }

  async function load() {
    const [defaults, list] = await Promise.all([
      Admin.call('panel/user/mfa/settings/default/read', {}),
      Admin.call('panel/user/mfa/list', {}),
    ]);
    if (!defaults.success) {
      Nvx.say(allResult, Nvx.describe(defaults), 'error');
      return;
    }
    document.getElementById('default-current').textContent = Admin.describeSettings(defaults.value);
    Admin.writeSettings(allForm, 'all', defaults.value);
    Admin.writeSettings(defaultForm, 'default', defaults.value);
    syncFactors(allForm, 'all');
    syncFactors(defaultForm, 'default');
    if (list.success) {
      const accounts = list.list.filter((u) => u.kind === 'account');
      const subUsers = list.list.filter((u) => u.kind === 'sub_user');
      const required = (users) => users.filter((u) => u.requirement.required).length;
      const demo = accounts.filter((u) => u.demo).length;
      document.getElementById('summary').textContent =
        required(accounts) + ' of ' + accounts.length + ' accounts and ' + required(subUsers) + ' of ' + subUsers.length +
        ' sub-users must pass two-factor authentication at sign-in; ' + demo + ' demo account' + (demo === 1 ? ' is' : 's are') + ' never asked.';
    }
  }

  function resetPreview() {
    previewed = null;
    allConfirm.hidden = true;
  }

  allForm.addEventListener('change', () => {
    syncFactors(allForm, 'all');
    resetPreview();
    Nvx.say(allResult, '', 'info');
  });
  defaultForm.addEventListener('change', () => syncFactors(defaultForm, 'default'));

  allForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const settings = Admin.readSettings(allForm, 'all');
    if (!validate(settings, allResult)) return;
    const answer = await Admin.call('panel/user/mfa/settings/everyone', { settings, dry_run: true });
    if (!answer.success) {
      Nvx.say(allResult, Nvx.describe(answer), 'error');
      return;
    }
    previewed = settings;
    const n = answer.changed_accounts;
    Nvx.say(allResult, 'Preview: this changes ' + n + ' account' + (n === 1 ? '' : 's') +
      ' (their sub-users follow; demo accounts never change), and new users get "' + Admin.describeSettings(settings) + '". Nothing has changed yet.', 'info');
    allConfirm.hidden = false;
    document.getElementById('all-apply').focus();
  });

  document.getElementById('all-apply').addEventListener('click', async () => {
    if (!previewed) return;
    const answer = await Admin.call('panel/user/mfa/settings/everyone', { settings: previewed, dry_run: false });
    allConfirm.hidden = true;
    if (!answer.success) {
      Nvx.say(allResult, Nvx.describe(answer), 'error');
      return;
    }
    const n = answer.changed_accounts;
    Nvx.say(allResult, 'Applied: ' + n + ' account' + (n === 1 ? '' : 's') + ' changed. All users: ' + Admin.describeSettings(previewed) + '.', 'ok');
    previewed = null;
    await load();
  });

  document.getElementById('all-cancel').addEventListener('click', () => {
    resetPreview();
    Nvx.say(allResult, 'Cancelled: nothing changed.', 'info');
    document.getElementById('all-preview').focus();
  });

  defaultForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const settings = Admin.readSettings(defaultForm, 'default');
    if (!validate(settings, defaultResult)) return;
    const answer = await Admin.call('panel/user/mfa/settings/default/update', { settings });
    if (!answer.success) {
      Nvx.say(defaultResult, Nvx.describe(answer), 'error');
      return;
    }
    Nvx.say(defaultResult, 'Saved: new users get "' + Admin.describeSettings(settings) + '". Existing accounts are unchanged.', 'ok');
    await load();
  });

  load();
})();
