// User sign-in: user/auth with the password, then the code step (email code with resend and its countdown,
// authenticator code with the alternative factor, or a recovery code) through user/auth/code/*, optionally remembering
// this device (its token in localStorage, presented at the next user/auth); inside an enrolment period
// (enrollment_required), the way to the enrolment page with the restricted hash.
'use strict';

(() => {
  const CODE_LIFETIME = 5 * 60; // Navixy: each passcode is valid for 5 minutes.
  const RESEND_INTERVAL = 60;   // and a new one can be asked for at most once a minute.

  const $ = (id) => document.getElementById(id);
  const passwordStep = $('password-step');
  const codeStep = $('code-step');
  const signedIn = $('signed-in');
  const enrolStep = $('enrol-step');
  const code = $('code');
  let pending = null; // { hash, factor, alternatives, login }
  let enrolling = null; // { hash, until, login }: enrollment_required's restricted hash
  let mode = 'code';
  const timers = [];

  function stopTimers() {
    while (timers.length) timers.pop()();
  }

  function show(section) {
    for (const s of [passwordStep, codeStep, enrolStep, signedIn]) s.hidden = s !== section;
  }

  function startOver(text) {
    stopTimers();
    const handle = pending || enrolling;
    if (handle) Nvx.call('user/logout', {}, handle.hash);
    pending = null;
    enrolling = null;
    show(passwordStep);
    passwordStep.password.value = '';
    $('sign-in').disabled = false;
    Nvx.say($('password-message'), text || '', 'info');
    passwordStep.password.focus();
  }

  // Disables a button for `wait` seconds, showing the time left in its label.
  function holdButton(button, label, wait) {
    button.disabled = true;
    timers.push(Nvx.countdown(wait, (left) => {
      button.textContent = left > 0 ? label + ' (' + Nvx.seconds(left) + ')' : label;
    }, () => { button.disabled = false; }));
  }

  function startEmailTimers() {
    stopTimers();
    const expiry = $('code-expiry');
    timers.push(Nvx.countdown(CODE_LIFETIME, (left) => {
      expiry.textContent = left > 0
        ? 'The code expires in ' + Nvx.clock(left) + '.'
        : 'The code has expired. Use "Resend code" to get a new one.';
    }));
    holdButton($('resend'), 'Resend code', RESEND_INTERVAL);
  }

  function setMode(next) {
    mode = next;
    const recovery = mode === 'recovery';
    $('use-recovery').hidden = recovery;
    $('use-code').hidden = !recovery;
    code.value = '';
    code.inputMode = recovery ? 'text' : 'numeric';
    const email = pending.factor === 'email';
    $('code-label').textContent = recovery ? 'Recovery code' : email ? 'Code from the email' : 'Code from your authenticator app';
    $('code-hint').textContent = recovery
      ? 'Enter one of the recovery codes you saved when you set up your authenticator app. Each one works once.'
      : email
        ? 'We emailed a code to ' + pending.login + '. Enter it to finish signing in.'
        : 'Open your authenticator app and enter the code it shows for this account.';
    $('code-expiry').hidden = recovery || !email;
    $('resend').hidden = recovery || !email;
    $('switch-email').hidden = recovery || email || !pending.alternatives.includes('email');
    code.focus();
  }

  function showCodeStep(answer, login) {
    pending = { hash: answer.hash, factor: answer.factor_type, alternatives: answer.alternative_factor_types || [], login };
    show(codeStep);
    Nvx.say($('code-message'), '', 'info');
    $('verify').disabled = false;
    code.disabled = false;
    $('remember').checked = false;
    if (pending.factor === 'email') startEmailTimers(); else stopTimers();
    setMode('code');
  }

  // A lockout (105): the wait, counted down; the sign-in cannot continue until it is over.
  function locked(answer, message) {
    stopTimers();
    const wait = Nvx.waitOf(answer);
    $('verify').disabled = true;
    code.disabled = true;
    for (const id of ['resend', 'switch-email', 'use-recovery', 'use-code', 'code-expiry']) $(id).hidden = true;
    const endsSignIn = /sign in again/.test(Nvx.describe(answer)) || /until an administrator/.test(Nvx.describe(answer));
    if (wait === null) {
      Nvx.say(message, 'Too many wrong codes. ' + Nvx.describe(answer), 'error');
      return;
    }
    timers.push(Nvx.countdown(wait, (left) => {
      Nvx.say(message, left > 0
        ? 'Too many wrong codes: sign-in is locked. Try again in ' + Nvx.seconds(left) + '.'
        : 'The wait is over: you can sign in again.', left > 0 ? 'error' : 'info');
    }));
    if (endsSignIn) pending = null; // the server ended this sign-in
    $('start-over').focus();
  }

  function ended(message) {
    stopTimers();
    pending = null;
    $('verify').disabled = true;
    Nvx.say(message, 'This sign-in has expired or ended. Start over and sign in again.', 'error');
    $('start-over').focus();
  }

  // The period to set up an app ended (13 at user/auth, naming when): only an administrator's reset starts a new one.
  function enrolmentEnded(answer) {
    const ended = /enrolment period ended at (\S+?Z)/.exec(Nvx.describe(answer));
    return ended && 'Your time to set up an authenticator app ended on ' + Nvx.when(ended[1]) +
      ', so you cannot sign in. Ask your administrator to reset your two-factor authentication: that gives you a new period to set one up.';
  }

  function showEnrolStep(answer, login) {
    enrolling = { hash: answer.hash, until: answer.enroll_until, login };
    $('enrol-deadline').textContent = 'Set up an authenticator app by ' + Nvx.when(answer.enroll_until) + '.';
    show(enrolStep);
    $('enrol-go').focus();
  }

  // device: { remembered } when user/auth honoured this browser's device token; { token, expires } when the code step
  // asked to remember it (no token: the dealer does not remember devices); null otherwise.
  async function showSignedIn(hash, device) {
    const answer = await Nvx.call('user/get_info', {}, hash);
    if (!answer.success) {
      Nvx.store.clear('user');
      startOver('Your session has ended. Sign in again.');
      return;
    }
    const me = answer.user_info;
    $('me-name').textContent = me.name;
    $('me-login').textContent = me.login;
    $('me-demo').hidden = !me.demo;
    $('me-enrol').hidden = me.demo;
    const note = $('me-device');
    note.textContent = !device ? ''
      : device.remembered ? 'No code was needed: this browser is a remembered device.'
        : device.token ? 'This browser is remembered until ' + Nvx.when(device.expires) + ': no code will be asked for here until then.'
          : 'Your administrator does not let devices be remembered, so a code will be asked for next time.';
    note.hidden = !note.textContent;
    show(signedIn);
    $('signed-in-title').focus();
  }

  passwordStep.addEventListener('submit', async (event) => {
    event.preventDefault();
    const message = $('password-message');
    const login = passwordStep.login.value.trim();
    const password = passwordStep.password.value;
    if (!login || !password) {
      Nvx.say(message, 'Enter your login and password.', 'error');
      (login ? passwordStep.password : passwordStep.login).focus();
      return;
    }
    $('sign-in').disabled = true;
    const device = Nvx.devices.get(login);
    const answer = await Nvx.call('user/auth', device ? { login, password, device_token: device.token } : { login, password });
    $('sign-in').disabled = false;
    if (answer.success && answer.type === 'second_factor_required') {
      if (device) Nvx.devices.clear(login); // presented and not honoured: it never will be again
      showCodeStep(answer, login);
      return;
    }
    if (answer.success && answer.type === 'enrollment_required') {
      showEnrolStep(answer, login);
      return;
    }
    if (answer.success) {
      Nvx.store.set('user', { hash: answer.hash });
      await showSignedIn(answer.hash, device ? { remembered: true } : null);
      return;
    }
    const wait = Nvx.waitOf(answer);
    switch (answer.status.code) {
      case 102:
        Nvx.say(message, 'Wrong login or password.', 'error');
        passwordStep.password.select();
        break;
      case 105:
      case 15: {
        const what = answer.status.code === 105
          ? (/codes/.test(Nvx.describe(answer)) ? 'Too many wrong codes.' : 'Too many failed sign-ins.')
          : 'A code was emailed to you less than a minute ago.';
        if (wait === null) {
          Nvx.say(message, what + ' ' + Nvx.describe(answer), 'error');
          break;
        }
        holdButton($('sign-in'), 'Sign in', wait);
        timers.push(Nvx.countdown(wait, (left) => {
          Nvx.say(message, left > 0 ? what + ' Try again in ' + Nvx.seconds(left) + '.' : 'You can sign in again now.', left > 0 ? 'error' : 'info');
        }));
        break;
      }
      case 13:
        Nvx.say(message, enrolmentEnded(answer) || Nvx.describe(answer), 'error');
        break;
      default:
        Nvx.say(message, Nvx.describe(answer), 'error');
    }
  });

  codeStep.addEventListener('submit', async (event) => {
    event.preventDefault();
    const message = $('code-message');
    if (!pending) return;
    const value = code.value.trim();
    if (!value) {
      Nvx.say(message, mode === 'recovery' ? 'Enter a recovery code.' : 'Enter the code.', 'error');
      code.focus();
      return;
    }
    $('verify').disabled = true;
    const remember = $('remember').checked;
    const body = remember ? { code: value, remember_device: true, device_label: 'Browser on ' + (navigator.platform || 'this device') } : { code: value };
    const answer = await Nvx.call('user/auth/code/verify', body, pending.hash);
    $('verify').disabled = false;
    if (answer.success) {
      stopTimers();
      if (answer.device_token) Nvx.devices.set(pending.login, { token: answer.device_token, expires: answer.device_expires_at });
      pending = null;
      Nvx.store.set('user', { hash: answer.hash });
      await showSignedIn(answer.hash, remember ? { token: answer.device_token, expires: answer.device_expires_at } : null);
      return;
    }
    switch (answer.status.code) {
      case 282:
        Nvx.say(message, mode === 'recovery' ? 'That recovery code did not work. Check it and try again.' : 'Wrong code. Check it and try again.', 'error');
        code.select();
        break;
      case 105:
        locked(answer, message);
        break;
      case 4:
        ended(message);
        break;
      default:
        Nvx.say(message, Nvx.describe(answer), 'error');
    }
  });

  $('resend').addEventListener('click', async () => {
    const message = $('code-message');
    if (!pending) return;
    const answer = await Nvx.call('user/auth/code/resend', {}, pending.hash);
    if (answer.success) {
      startEmailTimers();
      Nvx.say(message, 'A new code was sent. The previous code no longer works.', 'ok');
      code.value = '';
      code.focus();
      return;
    }
    switch (answer.status.code) {
      case 15: {
        const wait = Nvx.waitOf(answer);
        if (wait !== null) {
          holdButton($('resend'), 'Resend code', wait);
          Nvx.say(message, 'Codes are sent at most once a minute. You can ask for a new one in ' + Nvx.seconds(wait) + '.', 'error');
        } else {
          Nvx.say(message, Nvx.describe(answer), 'error');
        }
        break;
      }
      case 105:
        locked(answer, message);
        break;
      case 4:
        ended(message);
        break;
      default:
        Nvx.say(message, Nvx.describe(answer), 'error');
    }
  });

  $('switch-email').addEventListener('click', async () => {
    const message = $('code-message');
    if (!pending) return;
    const answer = await Nvx.call('user/auth/factor/switch', { factor_type: 'email' }, pending.hash);
    if (answer.success) {
      showCodeStep(answer, pending.login);
      Nvx.say($('code-message'), 'We emailed you a code instead.', 'ok');
      return;
    }
    const wait = Nvx.waitOf(answer);
    if (answer.status.code === 15 && wait !== null) {
      holdButton($('switch-email'), 'Email me a code instead', wait);
      Nvx.say(message, 'A code was emailed to you less than a minute ago. You can ask for one in ' + Nvx.seconds(wait) + '.', 'error');
    } else if (answer.status.code === 105) {
      locked(answer, message);
    } else if (answer.status.code === 4) {
      ended(message);
    } else {
      Nvx.say(message, Nvx.describe(answer), 'error');
    }
  });

  // The enrolment page takes the restricted hash (sessionStorage, this tab) and brings the user back here to sign in.
  $('enrol-go').addEventListener('click', () => {
    Nvx.store.set('enrolment', enrolling);
    location.assign('/enrol.html');
  });
  $('enrol-later').addEventListener('click', () => startOver('You can set up the app the next time you sign in, until the date shown.'));

  $('use-recovery').addEventListener('click', () => setMode('recovery'));
  $('use-code').addEventListener('click', () => setMode('code'));
  $('start-over').addEventListener('click', () => startOver(''));
  $('sign-out').addEventListener('click', async () => {
    const user = Nvx.store.get('user');
    if (user) await Nvx.call('user/logout', {}, user.hash);
    Nvx.store.clear('user');
    startOver('You have signed out.');
  });

  $('signed-in-title').tabIndex = -1;
  const enrolled = Nvx.store.get('enrolled');
  Nvx.store.clear('enrolled');
  Nvx.store.clear('enrolment'); // an enrolment left unfinished: its hash is abandoned, signing in gives another
  const user = Nvx.store.get('user');
  if (user && user.hash) {
    showSignedIn(user.hash);
  } else if (enrolled) {
    passwordStep.login.value = enrolled.login;
    Nvx.say($('password-message'), 'Your authenticator app is on. Sign in again: after your password, enter the code it shows.', 'ok');
    passwordStep.password.focus();
  }
})();
