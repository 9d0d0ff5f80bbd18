import bcrypt from 'bcryptjs';
import type { Request, Response } from 'express';
import type { RateLimit } from '../rate-limit/rate-limit.ts';
import type { LiveAuthMode } from '../sessions/live-auth-mode.ts';
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

export interface AccountControllerOptions {
  authMode: LiveAuthMode;
  bcryptRounds: number;
  rateLimit: RateLimit;
  /** Wrong current passwords allowed per account per window, as for the login form. */
  maxPasswordFailures: number;
}

export type AccountController = ReturnType<typeof accountController>;

/** The user's sessions in other browsers (session mode only), and changing the password. */
export function accountController({ authMode, bcryptRounds, rateLimit, maxPasswordFailures }: AccountControllerOptions) {
  /** The sessions of the mode serving this request: the instructor can switch it while the server runs. */
  const activeSessions = (req: Request) => {
    const mode = authMode.servingOf(req);
    return mode.name === 'session' ? mode.sessions.activeSessions : undefined;
  };

  const renderPassword = (res: Response, status: number, errors: PasswordErrors, errorMessage?: string) => {
    // Passwords are never echoed back into the form.
    res.status(status).render('account/password', { pageTitle: 'Change password', values: {}, errors, errorMessage });
  };

  /** A POST to end sessions in a mode that has none: the page offered no such button. */
  const refuseWithoutSessions = (req: Request, res: Response) => {
    req.flash('error', 'This auth mode keeps no sessions, so there is none to end.');
    res.redirect('/account/sessions');
  };

  return {
    async getSessions(req: Request, res: Response) {
      const sessions = await activeSessions(req)?.list(req);
      res.render('account/sessions', { pageTitle: 'Your sessions', sessions });
    },

    async postEndSession(req: Request, res: Response) {
      const sessions = activeSessions(req);
      if (!sessions) return refuseWithoutSessions(req, res);
      const ended = await sessions.endOther(req, textField(req, 'fingerprint'));
      req.flash(ended ? 'success' : 'error', ended ? 'That session has been logged out.' : 'That session had already ended.');
      res.redirect('/account/sessions');
    },

    async postEndOtherSessions(req: Request, res: Response) {
      const sessions = activeSessions(req);
      if (!sessions) return refuseWithoutSessions(req, res);
      const count = await sessions.endAllOthers(req, 'ended by the user from another session');
      req.flash('success', `${sessionCount(count)} logged out.`);
      res.redirect('/account/sessions');
    },

    getPassword(_req: Request, res: Response) {
      renderPassword(res, 200, {});
    },

    async postPassword(req: Request, res: Response) {
      const user = signedInUser(req);
      const form: PasswordForm = {
        currentPassword: textField(req, 'currentPassword'),
        newPassword: textField(req, 'newPassword'),
        confirmPassword: textField(req, 'confirmPassword'),
      };
      // Counted before the check, as at login: whoever holds this session must not guess the password at speed.
      const attempts = `current-password:${user.id}`;
      const refusal = await rateLimit.admit([{ key: attempts, max: maxPasswordFailures }]);
      if (refusal) {
        renderPassword(res, 429, {}, tooManyAttempts(res, refusal, 'wrong current passwords'));
        return;
      }
      const currentMatches = await bcrypt.compare(form.currentPassword, user.password);
      if (currentMatches) await rateLimit.takeBack(attempts);
      const errors = validatePasswordChange(form, currentMatches);
      if (Object.keys(errors).length > 0) {
        renderPassword(res, 422, errors);
        return;
      }
      // Also bumps the credential version: a login still checking the old password ends on first use (S28).
      await user.changePassword(await bcrypt.hash(form.newPassword, bcryptRounds));
      // Whoever else holds a session (perhaps the reason for the change) is logged out at once,
      // and this browser gets a new id too.
      const ended = await activeSessions(req)?.endAllOthers(req, 'password changed');
      await authMode.logIn(req, res, user);
      req.flash('success', `Your password has been changed.${ended === undefined ? '' : ` ${sessionCount(ended)} logged out.`}`);
      res.redirect('/account/sessions');
    },
  };
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
