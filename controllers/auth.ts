import bcrypt from 'bcryptjs';
import type { Request, Response } from 'express';
import { addressKey } from '../rate-limit/client-address.ts';
import type { LoginRefusal } from '../rate-limit/login-attempts.ts';
import { isDuplicateKeyError } from '../models/db.ts';
import { demoUsers } from '../models/seed.ts';
import { User } from '../models/user.ts';
import { appContext } from './app-context.ts';
import { textField } from './form-fields.ts';
import { passwordProblem } from './password-rules.ts';
import { tooManyAttempts } from './too-many-attempts.ts';

interface SignupForm {
  email: string;
  password: string;
  confirmPassword: string;
}
type SignupErrors = Partial<Record<keyof SignupForm, string>>;

// Linear: the domain's labels cannot overlap at the dots, so no input makes it backtrack.
const emailPattern = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const duplicateEmailMessage = 'An account with this email already exists. Log in, or sign up with another email.';

/** Which count a refused login filled, in words: a student locked out by a classmate sees that attempts from one network count together. */
const loginRefusalScopes: Record<LoginRefusal['scope'], { why: string; what: string }> = {
  'address': {
    why: 'Attempts count per network: every browser behind this public address (a school or office Wi-Fi, one router) counts together, so wrong passwords typed by others here, a classmate\'s too, count against you.',
    what: 'Logins from this network',
  },
  'account-from-address': { why: 'This counts the wrong passwords typed for this email from your network.', what: 'Logins to this email from your network' },
  'account': { why: 'This counts the wrong passwords typed for this email from anywhere.', what: 'Logins to this email' },
};

// Checked when the email is unknown, so that answer takes as long as a wrong password (one per cost factor).
const decoyHashes = new Map<number, Promise<string>>();
function decoyHash(bcryptRounds: number): Promise<string> {
  let hash = decoyHashes.get(bcryptRounds);
  if (!hash) decoyHashes.set(bcryptRounds, (hash = bcrypt.hash('no such user', bcryptRounds)));
  return hash;
}

function renderLogin(req: Request, res: Response, status: number, email: string, errorMessage?: string, opens?: { at: Date; what: string }) {
  // The login page lists the demo accounts outside production.
  const demoAccounts = appContext(req).config.isProduction ? [] : Object.values(demoUsers);
  res.status(status).render('auth/login', { pageTitle: 'Login', values: { email }, errorMessage, opens, demoUsers: demoAccounts });
}

function renderSignup(res: Response, status: number, values: Partial<SignupForm>, errors: SignupErrors, errorMessage?: string) {
  res.status(status).render('auth/signup', { pageTitle: 'Signup', values, errors, errorMessage });
}

export function getLogin(req: Request, res: Response) {
  renderLogin(req, res, 200, '');
}

export async function postLogin(req: Request, res: Response) {
  const { authMode, loginAttempts, config } = appContext(req);
  const email = normalizeEmail(textField(req, 'email'));
  const password = textField(req, 'password');
  // lesson:not-by-ip-address:start
  // The address only slows down guessing from one place; it never says who is logged in.
  const address = req.ip ?? '';
  const refusal = await loginAttempts.admit(email, address);
  // lesson:not-by-ip-address:end
  if (refusal) {
    // Refused before any lookup, with the same words for every email: it reveals no account.
    const { why, what } = loginRefusalScopes[refusal.scope];
    renderLogin(req, res, 429, email, `${tooManyAttempts(res, refusal, 'login attempts')} ${why}`, { at: refusal.opensAt, what });
    return;
  }
  const user = email === '' ? null : await User.findOne({ email }).setOptions({ sanitizeFilter: true });
  const passwordMatches = await bcrypt.compare(password, user?.password ?? (await decoyHash(config.bcryptRounds)));
  if (!user || !passwordMatches) {
    // One answer for both failures: the form must not tell which emails have accounts.
    renderLogin(req, res, 422, email, 'Invalid email or password.');
    return;
  }
  await loginAttempts.succeeded(email, address);
  await authMode.logIn(req, res, user);
  req.flash('success', `Logged in as ${user.email}.`);
  res.redirect('/');
}

export function getSignup(_req: Request, res: Response) {
  renderSignup(res, 200, {}, {});
}

export async function postSignup(req: Request, res: Response) {
  const { rateLimit, config } = appContext(req);
  const form: SignupForm = {
    email: normalizeEmail(textField(req, 'email')),
    password: textField(req, 'password'),
    confirmPassword: textField(req, 'confirmPassword'),
  };
  // Counted before anything else: each signup costs a bcrypt hash, and its answer tells whether an email has an account.
  const refusal = await rateLimit.admit([{ key: `signup:${addressKey(req.ip ?? '')}`, max: config.addressRateLimit.maxSignups }]);
  if (refusal) {
    renderSignup(res, 429, form, {}, tooManyAttempts(res, refusal, 'signups from your network'));
    return;
  }
  const errors = validateSignup(form);
  if (Object.keys(errors).length > 0) {
    renderSignup(res, 422, form, errors);
    return;
  }
  const user = new User({ email: form.email, password: await bcrypt.hash(form.password, config.bcryptRounds), cart: { items: [] } });
  // The unique index decides, so two signups racing for one email cannot both win.
  const saved = await user.save().then(
    () => true,
    (error: unknown) => {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    },
  );
  if (!saved) {
    renderSignup(res, 422, form, { email: duplicateEmailMessage });
    return;
  }
  req.flash('success', 'Your account is ready. Please log in.');
  res.redirect('/login');
}

export async function postLogout(req: Request, res: Response) {
  await appContext(req).authMode.logOut(req, res);
  res.redirect('/');
}

function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function validateSignup({ email, password, confirmPassword }: SignupForm): SignupErrors {
  const errors: SignupErrors = {};
  if (email === '') errors.email = 'Please enter your email address.';
  else if (email.length > 254 || !emailPattern.test(email)) errors.email = 'Please enter a valid email address, like name@example.com.';
  const problem = passwordProblem(password);
  if (problem) errors.password = problem;
  if (confirmPassword !== password) errors.confirmPassword = 'The passwords do not match.';
  return errors;
}
