import bcrypt from 'bcryptjs';
import type { Request, Response } from 'express';
import type { Refusal } from '../rate-limit/rate-limit.ts';
import { appContext } from './app-context.ts';
import { textField } from './form-fields.ts';
import { passwordProblem } from './password-rules.ts';
import { signedInUser } from './signed-in-user.ts';
import { tooManyAttempts } from './too-many-attempts.ts';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}
type PasswordErrors = Partial<Record<keyof PasswordForm, string>>;

/** The sessions of the mode serving this request: the instructor can switch it while the server runs. */
function activeSessions(req: Request) {
  const mode = appContext(req).authMode.servingOf(req);
  return mode.name === 'session' ? mode.sessions.activeSessions : undefined;
}

function renderPassword(res: Response, status: number, errors: PasswordErrors, errorMessage?: string) {
  // Passwords are never echoed back into the form.
  res.status(status).render('account/password', { pageTitle: 'Change password', values: {}, errors, errorMessage });
}

async function renderSessions(req: Request, res: Response, status: number, errorMessage?: string) {
  const sessions = await activeSessions(req)?.list(req);
  res.status(status).render('account/sessions', { pageTitle: 'Your sessions', sessions, errorMessage });
}

/** A POST to end sessions in a mode that has none: the page offered no such button. */
function refuseWithoutSessions(req: Request, res: Response) {
  req.flash('error', 'This auth mode keeps no sessions, so there is none to end.');
  res.redirect('/account/sessions');
}

/**
 * Whether the signed-in user typed their current password, or the refusal once too many were wrong.
 * Counted before the check, as at login: whoever holds this session must not guess the password at
 * speed. One count per account for every form that asks, so guesses cannot be spread across them.
 */
async function checkCurrentPassword(req: Request): Promise<boolean | Refusal> {
  const { rateLimit, config } = appContext(req);
  const attempts = `current-password:${signedInUser(req).id}`;
  // Wrong current passwords allowed per account per window, as for the login form.
  const refusal = await rateLimit.admit([{ key: attempts, max: config.loginRateLimit.maxFailuresPerAccount }]);
  if (refusal) return refusal;
  const matches = await bcrypt.compare(textField(req, 'currentPassword'), signedInUser(req).password);
  if (matches) await rateLimit.takeBack(attempts);
  return matches;
}

/**
 * Ending sessions asks for the password again (ASVS 5.0 7.5.2): whoever borrowed an unlocked
 * browser must not be able to log its owner out everywhere else. Answers true when it may go on.
 */
async function reauthenticated(req: Request, res: Response): Promise<boolean> {
  const check = await checkCurrentPassword(req);
  if (check === true) return true;
  if (check === false) await renderSessions(req, res, 422, 'That is not your current password: no session was logged out.');
  else await renderSessions(req, res, 429, tooManyAttempts(res, check, 'wrong current passwords'));
  return false;
}

/** The user's sessions in other browsers (session mode only). */
export async function getSessions(req: Request, res: Response) {
  await renderSessions(req, res, 200);
}

export async function postEndSession(req: Request, res: Response) {
  const sessions = activeSessions(req);
  if (!sessions) return refuseWithoutSessions(req, res);
  if (!(await reauthenticated(req, res))) return;
  const ended = await sessions.endOther(req, textField(req, 'fingerprint'));
  req.flash(ended ? 'success' : 'error', ended ? 'That session has been logged out.' : 'That session had already ended.');
  res.redirect('/account/sessions');
}

export async function postEndOtherSessions(req: Request, res: Response) {
  const sessions = activeSessions(req);
  if (!sessions) return refuseWithoutSessions(req, res);
  if (!(await reauthenticated(req, res))) return;
  const count = await sessions.endAllOthers(req, 'ended by the user from another session');
  req.flash('success', `${sessionCount(count)} logged out.`);
  res.redirect('/account/sessions');
}

export function getPassword(_req: Request, res: Response) {
  renderPassword(res, 200, {});
}

export async function postPassword(req: Request, res: Response) {
  const user = signedInUser(req);
  const form: PasswordForm = {
    currentPassword: textField(req, 'currentPassword'),
    newPassword: textField(req, 'newPassword'),
    confirmPassword: textField(req, 'confirmPassword'),
  };
  const currentMatches = await checkCurrentPassword(req);
  if (typeof currentMatches !== 'boolean') {
    renderPassword(res, 429, {}, tooManyAttempts(res, currentMatches, 'wrong current passwords'));
    return;
  }
  const errors = validatePasswordChange(form, currentMatches);
  if (Object.keys(errors).length > 0) {
    renderPassword(res, 422, errors);
    return;
  }
  // Also bumps the credential version: a login still checking the old password ends on first use (S28).
  await user.changePassword(await bcrypt.hash(form.newPassword, appContext(req).config.bcryptRounds));
  // Whoever else holds a session (perhaps the reason for the change) is logged out at once,
  // and this browser gets a new id too.
  const ended = await activeSessions(req)?.endAllOthers(req, 'password changed');
  await appContext(req).authMode.logIn(req, res, user);
  req.flash('success', `Your password has been changed.${ended === undefined ? '' : ` ${sessionCount(ended)} logged out.`}`);
  res.redirect('/account/sessions');
}

function validatePasswordChange({ currentPassword, newPassword, confirmPassword }: PasswordForm, currentMatches: boolean): PasswordErrors {
  const errors: PasswordErrors = {};
  if (!currentMatches) errors.currentPassword = 'That is not your current password.';
  const problem = passwordProblem(newPassword);
  if (problem) errors.newPassword = problem;
  else if (newPassword === currentPassword) errors.newPassword = 'The new password must differ from the current one.';
  if (confirmPassword !== newPassword) errors.confirmPassword = 'The passwords do not match.';
  return errors;
}

function sessionCount(count: number): string {
  return `${count} other session${count === 1 ? '' : 's'}`;
}
