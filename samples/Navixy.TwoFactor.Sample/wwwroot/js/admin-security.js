// Settings → Security: the "all users" switch (preview with a dry run, then apply or schedule) and the default for new
// users, each with an optional "effective from"; the scheduled changes with cancel; the remember period for devices and
// the enrolment period for authenticator apps.
'use strict';

(() => {
  const panel = Admin.start();
  const $ = (id) => document.getElementById(id);
  const allForm = $('all-form');
  const allResult = $('all-result');
  const allConfirm = $('all-confirm');
  const defaultForm = $('default-form');
  const defaultResult = $('default-result');
  const DAY = 86400;
  let previewed = null; // { settings, from }

  // Factor types mean something only when the switch is on.
  function syncFactors(form, prefix) {
    const on = form.querySelector('input[name="' + prefix + '-state"]:checked')?.value === 'on';
    $(prefix + '-factors').disabled = !on || !panel.canUpdate;
  }

  function validate(settings, result) {
    if (settings.type === 'allowed' && settings.factor_types.length === 0) {
      Nvx.say(result, 'Choose at least one factor type.', 'error');
      return false;
    }
    return true;
  }

  // Adds effective_from when the admin chose one.
  const withMoment = (body, from) => (from ? { ...body, effective_from: from } : body);

  async function load() {
    const [defaults, list] = await Promise.all([
      Admin.call('panel/user/mfa/settings/default/read', {}),
      Admin.call('panel/user/mfa/list', {}),
      loadScheduled(),
      loadPeriods(),
    ]);
    if (!defaults.success) {
      Nvx.say(allResult, Nvx.describe(defaults), 'error');
      return;
    }
    $('default-current').textContent = Admin.describeSettings(defaults.value);
    Admin.writeSettings(allForm, 'all', defaults.value);
    Admin.writeSettings(defaultForm, 'default', defaults.value);
    syncFactors(allForm, 'all');
    syncFactors(defaultForm, 'default');
    if (list.success) {
      const accounts = list.list.filter((u) => u.kind === 'account');
      const subUsers = list.list.filter((u) => u.kind === 'sub_user');
      const required = (users) => users.filter((u) => u.requirement.required).length;
      const demo = accounts.filter((u) => u.demo).length;
      $('summary').textContent =
        required(accounts) + ' of ' + accounts.length + ' accounts and ' + required(subUsers) + ' of ' + subUsers.length +
        ' sub-users must pass two-factor authentication at sign-in; ' + demo + ' demo account' + (demo === 1 ? ' is' : 's are') + ' never asked.';
    }
  }

  // Scheduled changes: what each does, from when, and a Cancel button (disabled for a viewer).
  const targets = {
    enforce_for_everyone: 'All users and new users',
    update_all: 'All accounts',
    update_default: 'Default for new users',
  };

  async function loadScheduled() {
    const answer = await Admin.call('panel/user/mfa/settings/scheduled/list', {});
    if (!answer.success) {
      Nvx.say($('scheduled-result'), Nvx.describe(answer), 'error');
      return;
    }
    $('scheduled-empty').hidden = answer.list.length > 0;
    $('scheduled').replaceChildren(...answer.list.map((change) => {
      const target = targets[change.action] || 'Accounts ' + (change.user_ids || []).join(', ');
      const when = Nvx.when(change.effective_from);
      const cancel = Nvx.element('button', {
        type: 'button', class: 'secondary', 'data-update': true, disabled: !panel.canUpdate,
        'aria-label': 'Cancel the change from ' + when, text: 'Cancel',
      });
      cancel.addEventListener('click', () => cancelScheduled(change, when));
      return Nvx.element('li', { 'data-id': change.id },
        Nvx.element('span', { text: 'From ' + when + ': ' + target + ' → ' + Admin.describeSettings(change.settings) }), cancel);
    }));
  }

  async function cancelScheduled(change, when) {
    const answer = await Admin.call('panel/user/mfa/settings/scheduled/cancel', { id: change.id });
    Nvx.say($('scheduled-result'), answer.success
      ? 'Cancelled: the change from ' + when + ' will not apply.'
      : Nvx.describe(answer), answer.success ? 'ok' : 'error');
    await loadScheduled();
    $('scheduled-title').focus();
  }

  // The two periods (both {value: {seconds, max_seconds}} / {seconds}): read into their forms, saved in whole days.
  const periods = [
    { prefix: 'remember', read: 'panel/user/mfa/remember_period/read', update: 'panel/user/mfa/remember_period/update',
      off: 'Off', what: 'Devices are remembered for ' },
    { prefix: 'enrol', read: 'panel/user/mfa/enrollment_period/read', update: 'panel/user/mfa/enrollment_period/update',
      off: 'None', what: 'Users without an app may set one up for ' },
  ];

  async function loadPeriods() {
    await Promise.all(periods.map(async (p) => {
      const answer = await Admin.call(p.read, {});
      if (!answer.success) {
        Nvx.say($(p.prefix + '-result'), Nvx.describe(answer), 'error');
        return;
      }
      const seconds = answer.value.seconds;
      $(p.prefix + '-current').textContent = Nvx.period(seconds, p.off);
      $(p.prefix + '-days').value = String(Math.round(seconds / DAY));
    }));
  }

  for (const p of periods) {
    $(p.prefix + '-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const result = $(p.prefix + '-result');
      const input = $(p.prefix + '-days');
      const days = Number(input.value);
      if (input.value.trim() === '' || !Number.isInteger(days) || days < 0 || days > 90) {
        Nvx.say(result, 'Enter a whole number of days from 0 to 90.', 'error');
        input.focus();
        return;
      }
      const answer = await Admin.call(p.update, { seconds: days * DAY });
      if (!answer.success) {
        Nvx.say(result, Nvx.describe(answer), 'error');
        return;
      }
      Nvx.say(result, 'Saved. ' + (days === 0 ? p.off + '.' : p.what + Nvx.period(days * DAY) + '.'), 'ok');
      await loadPeriods();
    });
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
    const from = Nvx.moment($('all-from'));
    const answer = await Admin.call('panel/user/mfa/settings/everyone', withMoment({ settings, dry_run: true }, from));
    if (!answer.success) {
      Nvx.say(allResult, Nvx.describe(answer), 'error');
      return;
    }
    previewed = { settings, from };
    const n = answer.changed_accounts;
    const accounts = n + ' account' + (n === 1 ? '' : 's');
    Nvx.say(allResult, (from ? 'Preview: from ' + Nvx.when(from) + ', this changes every account as it is then' : 'Preview: this changes ' + accounts) +
      ' (their sub-users follow; demo accounts never change), and new users get "' + Admin.describeSettings(settings) + '". Nothing has changed yet.', 'info');
    $('all-apply').textContent = from ? 'Schedule for all users' : 'Apply to all users';
    allConfirm.hidden = false;
    $('all-apply').focus();
  });

  $('all-apply').addEventListener('click', async () => {
    if (!previewed) return;
    const { settings, from } = previewed;
    const answer = await Admin.call('panel/user/mfa/settings/everyone', withMoment({ settings, dry_run: false }, from));
    allConfirm.hidden = true;
    if (!answer.success) {
      Nvx.say(allResult, Nvx.describe(answer), 'error');
      return;
    }
    const n = answer.changed_accounts;
    Nvx.say(allResult, answer.scheduled_id
      ? 'Scheduled: from ' + Nvx.when(answer.effective_from) + ', all users: ' + Admin.describeSettings(settings) + '. Nothing changes before then.'
      : 'Applied: ' + n + ' account' + (n === 1 ? '' : 's') + ' changed. All users: ' + Admin.describeSettings(settings) + '.', 'ok');
    previewed = null;
    $('all-from').value = '';
    await load();
  });

  $('all-cancel').addEventListener('click', () => {
    resetPreview();
    Nvx.say(allResult, 'Cancelled: nothing changed.', 'info');
    $('all-preview').focus();
  });

  defaultForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const settings = Admin.readSettings(defaultForm, 'default');
    if (!validate(settings, defaultResult)) return;
    const answer = await Admin.call('panel/user/mfa/settings/default/update', withMoment({ settings }, Nvx.moment($('default-from'))));
    if (!answer.success) {
      Nvx.say(defaultResult, Nvx.describe(answer), 'error');
      return;
    }
    Nvx.say(defaultResult, answer.scheduled
      ? 'Scheduled: from ' + Nvx.when(answer.scheduled.effective_from) + ', new users get "' + Admin.describeSettings(settings) + '".'
      : 'Saved: new users get "' + Admin.describeSettings(settings) + '". Existing accounts are unchanged.', 'ok');
    $('default-from').value = '';
    await load();
  });

  $('scheduled-title').tabIndex = -1;
  load();
})();
