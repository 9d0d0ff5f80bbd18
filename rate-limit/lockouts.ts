import type { Config } from '../config.ts';
import type { RateLimit } from './rate-limit.ts';

/** A limit that is full now: nobody it counts can try again before `opensAt`. */
export interface Lockout {
  key: string;
  /** What is refused, for whom: "login to alice@example.com from 203.0.113.5". */
  what: string;
  opensAt: Date;
}

interface LockoutKind {
  /** The start of the keys this limit counts under (see where each is admitted). */
  prefix: string;
  max: number;
  describe(rest: string, names: Names): string;
}

/** How a lockout names an account: the login keys hold a hash of the email, the password forms the user id. */
export interface Names {
  emailOfHash(hash: string): string | undefined;
  emailOfId(id: string): string | undefined;
}

/** Lockouts listed at most: a page an instructor can read, whatever a flood of addresses left behind. */
const listedAtMost = 100;

/** Every limit of the rate-limit table by its key, so the instructor panel can show who is locked out and lift it. */
function lockoutKinds({ loginRateLimit: login, addressRateLimit: address }: Config): LockoutKind[] {
  const account = (hash: string, names: Names) => names.emailOfHash(hash) ?? 'an account with no user (any more)';
  return [
    {
      prefix: 'login:account+address:',
      max: login.maxFailuresPerAccount,
      describe: (rest, names) => {
        const [hash = '', ...ip] = rest.split(':');
        return `login to ${account(hash, names)} from ${ip.join(':')}`;
      },
    },
    { prefix: 'login:address:', max: login.maxFailuresPerAddress, describe: (ip) => `every login from ${ip}` },
    { prefix: 'login:account:', max: login.maxFailuresPerAccountTotal, describe: (hash, names) => `login to ${account(hash, names)} from every address` },
    { prefix: 'current-password:', max: login.maxFailuresPerAccount, describe: (id, names) => `the current password of ${names.emailOfId(id) ?? 'a deleted user'} (password and session forms)` },
    { prefix: 'signup:', max: address.maxSignups, describe: (ip) => `signups from ${ip}` },
    { prefix: 'instructor-token:', max: address.maxInstructorTokenFailures, describe: (ip) => `the instructor token from ${ip}` },
    { prefix: 'new-student:', max: address.maxNewStudents, describe: (ip) => `new students (lesson cookies) from ${ip}` },
  ];
}

export interface Lockouts {
  list(names: Names): Promise<Lockout[]>;
  /** Lifts a listed lockout; false when `key` names none (any more). */
  lift(key: string): Promise<boolean>;
}

export function lockouts(config: Config, rateLimit: RateLimit): Lockouts {
  const kinds = lockoutKinds(config);
  const smallestMax = Math.min(...kinds.map(({ max }) => max));
  const full = async () =>
    (await rateLimit.openWindows(smallestMax, listedAtMost)).flatMap((window) => {
      const kind = kinds.find(({ prefix }) => window.key.startsWith(prefix));
      return kind && window.count >= kind.max ? [{ window, kind }] : [];
    });
  return {
    async list(names) {
      return (await full()).map(({ window, kind }) => ({
        key: window.key,
        what: kind.describe(window.key.slice(kind.prefix.length), names),
        opensAt: new Date(window.closesAt),
      }));
    },
    async lift(key) {
      const found = (await full()).some(({ window }) => window.key === key);
      if (found) await rateLimit.forget(key);
      return found;
    },
  };
}
