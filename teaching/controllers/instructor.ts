import type { Request, Response } from 'express';
import type session from 'express-session';
import { authModeNames, sessionStoreNames, type AuthModeName, type SessionStoreName } from '../../config.ts';
import { addressKey } from '../../rate-limit/client-address.ts';
import { servedBy } from '../../middleware/served-by.ts';
import { storedSessionFingerprint } from '../../sessions/fingerprint.ts';
import type { HashedIdStore } from '../../sessions/hashed-ids.ts';
import { storedSessions } from '../../sessions/stored-sessions.ts';
import { User } from '../../models/user.ts';
import { accountHash } from '../../rate-limit/login-attempts.ts';
import type { Lockout, Lockouts } from '../../rate-limit/lockouts.ts';
import type { LiveSettings } from '../../sessions/live-auth-mode.ts';
import { teachingContext } from '../context.ts';
import { classNamesBySession } from '../models/student-progress.ts';
import { allSettings, arrivingConsequences, consequencesOf, leavingConsequences, settingName } from './switch-consequences.ts';
import { returnAddress } from '../../lib/return-address.ts';
import { bootId } from '../../controllers/health.ts';
import { tooManyAttempts } from '../../controllers/too-many-attempts.ts';

interface StoredSession {
  fingerprint: string;
  user: string | undefined;
  /** The name the student in that browser gave the lessons, if any. */
  student: string | undefined;
  expires: Date | undefined;
}

const fingerprintPattern = /^[0-9a-f]{16}$/;

async function sessionList(store: HashedIdStore): Promise<StoredSession[]> {
  const sessions = [...(await byFingerprint(store)).entries()];
  const userIds = sessions.flatMap(([, { data }]) => (data.isLoggedIn ? [data.userId] : []));
  const users = await User.find({ _id: { $in: userIds } }, { email: 1 });
  const emails = new Map(users.map((user) => [user.id as string, user.email]));
  const students = await classNamesBySession(sessions.map(([fingerprint]) => fingerprint));
  return sessions.map(([fingerprint, { data }]) => ({
    fingerprint,
    user: data.isLoggedIn ? emails.get(data.userId) : undefined,
    student: students.get(fingerprint),
    expires: data.cookie.expires ? new Date(data.cookie.expires) : undefined,
  }));
}

/** The store of the running session mode; otherwise a message and a redirect. */
function currentStore(req: Request, res: Response): HashedIdStore | undefined {
  const mode = teachingContext(req).authMode.current();
  if (mode.name === 'session') return mode.sessions.store;
  req.flash(
    'error',
    mode.name === 'cookie-session'
      ? 'cookie-session mode keeps no sessions on the server: a signed cookie cannot be ended before it expires; only taking the secret that signed it out of SESSION_SECRET (and restarting) would refuse them all.'
      : `${mode.name} mode keeps no sessions on the server, so there are none to end.`,
  );
  backToPanel(req, res);
  return undefined;
}

export async function getPanel(req: Request, res: Response) {
  const { authMode, restart, lockouts, panel } = teachingContext(req);
  const { settings } = authMode;
  const mode = authMode.current();
  const store = mode.name === 'session' ? mode.sessions.store : undefined;
  const lastChange = panel.unseenChange;
  panel.unseenChange = undefined;
  res.render('instructor/panel', {
    pageTitle: 'Instructor panel',
    running: settings, // not `settings`: that local would hide Express's own, where EJS finds the shop's partials
    authModeNames,
    sessionStoreNames,
    leaving: leavingConsequences(settings),
    choices: allSettings.map((choice) => ({ name: settingName(choice), consequences: arrivingConsequences(settings, choice) })),
    lastChange,
    sessions: store ? await sessionList(store) : undefined,
    lockouts: await lockoutList(lockouts),
    servedBy,
    canRestart: restart !== undefined,
    fromQuery: fromQuery(req),
  });
}

export async function postToken(req: Request, res: Response) {
  const { access, rateLimit, maxTokenFailures } = teachingContext(req);
  const attempts = `instructor-token:${addressKey(req.ip ?? '')}`;
  const refusal = await rateLimit.admit([{ key: attempts, max: maxTokenFailures }]);
  if (refusal) {
    access.refuse(res, tooManyAttempts(res, refusal, 'wrong tokens'), 429);
    return;
  }
  const token: unknown = req.body?.token;
  if (typeof token !== 'string' || !access.matches(token.trim())) {
    access.refuse(res, 'That is not the instructor token. Copy it from the console the server was started in.');
    return;
  }
  await rateLimit.takeBack(attempts);
  access.grant(res);
  res.redirect(returnAddress(req.body?.returnTo, '/instructor'));
}

export function postSettings(req: Request, res: Response) {
  const { authMode, panel } = teachingContext(req);
  const next = settingsFrom(req.body);
  if (!next) {
    req.flash('error', `Choose an auth mode (${authModeNames.join(', ')}) and a session store (${sessionStoreNames.join(', ')}).`);
    backToPanel(req, res);
    return;
  }
  const before = authMode.settings;
  authMode.switchTo(next);
  panel.unseenChange = { from: settingName(before), to: settingName(next), at: new Date(), consequences: consequencesOf(before, next) };
  backToPanel(req, res);
}

export function postRestart(req: Request, res: Response) {
  const { authMode, restart } = teachingContext(req);
  const returnTo = returnAddress(req.query.from, '/instructor');
  if (!restart) {
    req.flash('error', 'This server was not started with npm start, so it cannot start itself again: stop it and start it with npm start.');
    backToPanel(req, res);
    return;
  }
  const { settings } = authMode;
  // The new process starts once this page is out; the page then waits for it and goes back.
  res.once('finish', () => restart(settings));
  res.set('Connection', 'close').render('instructor/restarting', { pageTitle: 'Restarting the server', running: settings, bootId, returnTo });
}

export async function postLiftLockout(req: Request, res: Response) {
  const { lockouts } = teachingContext(req);
  const key: unknown = req.body?.lockout;
  const lifted = typeof key === 'string' && (await lockouts.lift(key));
  req.flash(lifted ? 'success' : 'error', lifted ? 'Lockout lifted: the next attempt counts from zero.' : 'That lockout is not in force (any more).');
  backToPanel(req, res);
}

export async function postEndSession(req: Request, res: Response) {
  const store = currentStore(req, res);
  if (!store) return;
  const fingerprint: unknown = req.body?.session;
  const found = typeof fingerprint === 'string' && fingerprintPattern.test(fingerprint) ? (await byFingerprint(store)).get(fingerprint) : undefined;
  if (found) await store.destroyStored(found.key);
  req.flash(found ? 'success' : 'error', found ? `Session ${String(fingerprint)} ended.` : 'That session is not in the store (any more).');
  backToPanel(req, res);
}

export async function postEndAllSessions(req: Request, res: Response) {
  const store = currentStore(req, res);
  if (!store) return;
  const sessions = [...(await byFingerprint(store)).values()];
  await Promise.all(sessions.map(({ key }) => store.destroyStored(key)));
  req.flash('success', `Ended ${sessions.length} ${sessions.length === 1 ? 'session' : 'sessions'}.`);
  backToPanel(req, res);
}


/**
 * The fingerprint is all the panel shows, so it is also how the panel names a session to end. The
 * store lists stored keys (hashes of the ids), whose fingerprint is the one of the id in the cookie.
 */
async function byFingerprint(store: HashedIdStore): Promise<Map<string, { key: string; data: session.SessionData }>> {
  return new Map(Object.entries(await storedSessions(store)).map(([key, data]) => [storedSessionFingerprint(key), { key, data }]));
}

/** Who is locked out now, each account named by its email. */
async function lockoutList(lockouts: Lockouts): Promise<Lockout[]> {
  const users = await User.find({}, { email: 1 }).lean();
  const byHash = new Map(users.map(({ email }) => [accountHash(email), email]));
  const byId = new Map(users.map(({ _id, email }) => [String(_id), email]));
  return lockouts.list({ emailOfHash: (hash) => byHash.get(hash), emailOfId: (id) => byId.get(id) });
}

/** The panel again, after one of its forms. */
function backToPanel(req: Request, res: Response): void {
  res.redirect(`/instructor${fromQuery(req)}`);
}

/** `?from=<page>` when the panel was opened from a page it goes back to after a restart (a lesson); its forms and redirects keep it. */
function fromQuery(req: Request): string {
  const from = returnAddress(req.query.from, '');
  return from === '' ? '' : `?${new URLSearchParams({ from })}`;
}

function settingsFrom(body: unknown): LiveSettings | undefined {
  const { authMode, sessionStore } = (body ?? {}) as Record<string, unknown>;
  const valid =
    (authModeNames as readonly unknown[]).includes(authMode) && (sessionStoreNames as readonly unknown[]).includes(sessionStore);
  return valid ? { authMode: authMode as AuthModeName, sessionStore: sessionStore as SessionStoreName } : undefined;
}
