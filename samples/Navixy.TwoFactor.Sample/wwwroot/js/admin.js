// Shared by the Admin Panel pages: the panel session guard, the header, and the read-only mode of a viewer login.
'use strict';

const Admin = (() => {
  function session() {
    const panel = Nvx.store.get('panel');
    if (!panel || !panel.hash) {
      location.replace('/admin/sign-in.html');
      throw new Error('not signed in');
    }
    return panel;
  }

  // Fills the header's "signed in as" line and wires sign-out; disables every control marked data-update for a viewer.
  function start() {
    const panel = session();
    document.getElementById('who').textContent = panel.login + (panel.canUpdate ? '' : ' (read only)');
    document.getElementById('sign-out').addEventListener('click', () => {
      Nvx.store.clear('panel');
      location.assign('/admin/sign-in.html');
    });
    const notice = document.getElementById('read-only');
    if (notice) notice.hidden = panel.canUpdate;
    if (!panel.canUpdate) lock(document);
    return panel;
  }

  function lock(root) {
    for (const control of root.querySelectorAll('[data-update]')) {
      control.disabled = true;
    }
  }

  // A panel call; a session that ended sends the admin back to sign in.
  async function call(path, body) {
    const panel = session();
    const answer = await Nvx.call(path, body, panel.hash);
    if (!answer.success && (answer.status.code === 4 || answer.status.code === 3)) {
      Nvx.store.clear('panel');
      location.assign('/admin/sign-in.html?ended=1');
    }
    return answer;
  }

  // Reads a settings form (a fieldset with radio name=<prefix>-state and checkboxes name=<prefix>-factor).
  function readSettings(form, prefix) {
    const on = form.querySelector('input[name="' + prefix + '-state"]:checked')?.value === 'on';
    if (!on) return { type: 'disallowed' };
    const factors = [...form.querySelectorAll('input[name="' + prefix + '-factor"]:checked')].map((c) => c.value);
    return { type: 'allowed', factor_types: factors };
  }

  function writeSettings(form, prefix, settings) {
    const on = settings.type === 'allowed';
    form.querySelector('input[name="' + prefix + '-state"][value="' + (on ? 'on' : 'off') + '"]').checked = true;
    for (const box of form.querySelectorAll('input[name="' + prefix + '-factor"]')) {
      box.checked = on ? settings.factor_types.includes(box.value) : box.value === 'email';
    }
  }

  function describeSettings(settings) {
    return settings.type === 'allowed' ? 'On: ' + Nvx.factorList(settings.factor_types) : 'Off';
  }

  return { start, call, lock, readSettings, writeSettings, describeSettings };
})();
