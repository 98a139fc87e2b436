// Set up an authenticator app: a step-up when the dealer also allows email (user/auth/step_up/*), then
// user/auth/totp/begin (QR code drawn by the server from the otpauth URI), user/auth/totp/confirm → recovery codes, once.
// Inside an enrolment period the sign-in page hands over enrollment_required's restricted hash instead of a session: no
// step-up (the user has no other way to pass), and once confirmed the user goes back to sign in with the new app.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const message = $('enrol-message');
  const enrolment = Nvx.store.get('enrolment'); // { hash, until, login } from the sign-in page, or null
  const user = enrolment || Nvx.store.get('user');
  let stepUpHash = null;
  let qrUrl = null;

  function only(section) {
    for (const s of [$('intro'), $('step-up'), $('scan'), $('codes')]) s.hidden = s !== section;
  }

  function refused(answer, what) {
    const wait = Nvx.waitOf(answer);
    if ((answer.status.code === 15 || answer.status.code === 105) && wait !== null) {
      const text = answer.status.code === 15
        ? 'For your security, codes are emailed at most once a minute.'
        : 'Too many wrong codes.';
      $('start').disabled = true;
      Nvx.countdown(wait, (left) => {
        Nvx.say(message, left > 0 ? text + ' You can ' + what + ' in ' + Nvx.seconds(left) + '.' : 'You can ' + what + ' now.', left > 0 ? 'error' : 'info');
      }, () => { $('start').disabled = false; });
      only($('intro'));
      return;
    }
    if (answer.status.code === 13 && enrolment && /enrolment period ended/.test(Nvx.describe(answer))) {
      Nvx.store.clear('enrolment');
      Nvx.say(message, 'Your time to set up an authenticator app ended on ' + Nvx.when(enrolment.until) +
        '. Ask your administrator to reset your two-factor authentication: that gives you a new period to set one up.', 'error');
      only(null);
      return;
    }
    if (answer.status.code === 4) {
      Nvx.store.clear(enrolment ? 'enrolment' : 'user');
      Nvx.say(message, 'Your session has ended. Sign in again.', 'error');
      only(null);
      return;
    }
    Nvx.say(message, Nvx.describe(answer), 'error');
  }

  async function begin() {
    const answer = await Nvx.call('user/auth/totp/begin', stepUpHash ? { step_up_hash: stepUpHash } : {}, user.hash);
    if (answer.success) {
      await showScan(answer);
      return;
    }
    if (answer.status.code === 7 && !stepUpHash && !enrolment) {
      await stepUp();
      return;
    }
    stepUpHash = null;
    refused(answer, 'start again');
  }

  async function stepUp() {
    const answer = await Nvx.call('user/auth/step_up/start', {}, user.hash);
    if (!answer.success) {
      refused(answer, 'start again');
      return;
    }
    stepUpHash = answer.step_up_hash;
    $('step-up-hint').textContent = answer.factor_type === 'email'
      ? 'Before adding an app, confirm it is you: we emailed you a code.'
      : 'Before replacing your app, confirm it is you with the code your current app shows.';
    Nvx.say(message, '', 'info');
    only($('step-up'));
    $('step-up-code').value = '';
    $('step-up-code').focus();
  }

  async function showScan(answer) {
    Nvx.say(message, '', 'info');
    $('secret').textContent = answer.secret.replace(/(.{4})/g, '$1 ').trim();
    $('scan-expiry').textContent = 'Confirm before ' + new Date(answer.expires_at).toLocaleTimeString() + '.';
    const response = await fetch('/user/auth/totp/qr', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'NVX ' + user.hash },
      body: JSON.stringify({ otpauth_uri: answer.otpauth_uri }),
      cache: 'no-store',
    });
    if (response.ok) {
      if (qrUrl) URL.revokeObjectURL(qrUrl);
      qrUrl = URL.createObjectURL(await response.blob());
      $('qr').src = qrUrl;
    } else {
      Nvx.say(message, 'The QR code could not be drawn; type the key into the app instead.', 'error');
    }
    only($('scan'));
    $('app-code').focus();
  }

  $('start').addEventListener('click', () => {
    stepUpHash = null;
    begin();
  });

  $('step-up').addEventListener('submit', async (event) => {
    event.preventDefault();
    const code = $('step-up-code').value.trim();
    if (!code) {
      Nvx.say(message, 'Enter the code.', 'error');
      return;
    }
    const answer = await Nvx.call('user/auth/step_up/verify', { step_up_hash: stepUpHash, code }, user.hash);
    if (answer.success) {
      await begin();
    } else if (answer.status.code === 282) {
      Nvx.say(message, 'Wrong code. Check it and try again.', 'error');
      $('step-up-code').select();
    } else {
      stepUpHash = null;
      refused(answer, 'start again');
    }
  });

  $('confirm-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const code = $('app-code').value.trim();
    if (!code) {
      Nvx.say(message, 'Enter the code the app shows.', 'error');
      return;
    }
    const answer = await Nvx.call('user/auth/totp/confirm', { code }, user.hash);
    if (answer.success) {
      // The secret and the QR code are not needed any more: gone from the page.
      $('secret').textContent = '';
      $('qr').removeAttribute('src');
      if (qrUrl) URL.revokeObjectURL(qrUrl);
      $('recovery-codes').replaceChildren(...answer.recovery_codes.map((c) => Nvx.element('li', { text: c })));
      Nvx.say(message, 'Your authenticator app is on. From now on, sign in with the code it shows.', 'ok');
      if (enrolment) {
        // The restricted hash has done its one job: sign in again, this time with the app's code.
        Nvx.store.clear('enrolment');
        Nvx.store.set('enrolled', { login: enrolment.login });
        $('done').textContent = 'I have saved them: sign in with the app';
      }
      only($('codes'));
      return;
    }
    if (answer.status.code === 282) {
      Nvx.say(message, 'Wrong code. Enter the code the app shows now.', 'error');
      $('app-code').select();
    } else if (answer.status.code === 13 && !/enrolment period ended/.test(Nvx.describe(answer))) {
      Nvx.say(message, 'This setup has expired. Start again.', 'error');
      only($('intro'));
    } else {
      refused(answer, 'start again');
    }
  });

  async function load() {
    if (enrolment) {
      $('status-line').textContent = 'Set up an authenticator app by ' + Nvx.when(enrolment.until) +
        '. Your administrator requires one for your account; until then you can sign in only to set it up.';
      only($('intro'));
      return;
    }
    if (!user || !user.hash) {
      message.replaceChildren('Sign in first: ', Nvx.element('a', { href: '/sign-in.html', text: 'sign in' }), '.');
      message.className = 'message error';
      message.hidden = false;
      return;
    }
    const status = await Nvx.call('user/auth/totp/status', {}, user.hash);
    if (!status.success) {
      refused(status, 'try again');
      return;
    }
    const value = status.value;
    if (!value.totp_allowed) {
      Nvx.say(message, 'Your dealer does not allow authenticator apps for your account. An administrator can allow them in Admin Panel → Settings → Security.', 'info');
      return;
    }
    $('status-line').textContent = value.enrolled
      ? 'An authenticator app is on (' + value.recovery_codes_left + ' recovery codes left). Setting up a new one replaces it.'
      : 'No authenticator app yet. With one, you sign in with the code it shows instead of an emailed code.';
    only($('intro'));
  }

  load();
})();
