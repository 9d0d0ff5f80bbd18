import { createHash } from 'node:crypto';
import type { Config } from '../config.ts';
import { addressKey } from './client-address.ts';
import type { RateLimit, Refusal } from './rate-limit.ts';

type Limits = Config['loginRateLimit'];

/**
 * Login attempts, so nobody can guess passwords at speed. An account is limited per client
 * address, so a stranger's wrong guesses lock only the stranger out of it, and, far higher, from
 * all addresses together, so many addresses cannot guess without end; each address is limited
 * across all accounts too.
 */
/** Which count was full: every login from one address (a whole class behind one router), one account from it, or one account from everywhere. */
export interface LoginRefusal extends Refusal {
  scope: 'address' | 'account-from-address' | 'account';
}

export class LoginAttempts {
  private readonly rateLimit: RateLimit;
  private readonly limits: Limits;

  constructor(
    rateLimit: RateLimit,
    limits: Limits,
  ) {
    this.rateLimit = rateLimit;
    this.limits = limits;
  }

  /** Counts an attempt before the password is checked; answers a refusal, counting nothing, once a limit is full. */
  async admit(email: string, ip: string): Promise<LoginRefusal | undefined> {
    const { accountFromAddress, address, account } = keys(email, ip);
    const perAddress = { key: address, max: this.limits.maxFailuresPerAddress };
    // An empty email names no account; the address still counts the attempt.
    // The narrowest first: a stranger refused on this account from this address adds nothing to the account's total.
    const refusal = await this.rateLimit.admit(
      email === ''
        ? [perAddress]
        : [{ key: accountFromAddress, max: this.limits.maxFailuresPerAccount }, perAddress, { key: account, max: this.limits.maxFailuresPerAccountTotal }],
    );
    if (!refusal) return undefined;
    return { ...refusal, scope: refusal.key === address ? 'address' : refusal.key === account ? 'account' : 'account-from-address' };
  }

  /** A login succeeded: the account starts afresh from this address, and the counts get this attempt back. */
  async succeeded(email: string, ip: string): Promise<void> {
    const { accountFromAddress, address, account } = keys(email, ip);
    await Promise.all([this.rateLimit.forget(accountFromAddress), this.rateLimit.takeBack(address), this.rateLimit.takeBack(account)]);
  }
}

function keys(email: string, ip: string) {
  const address = addressKey(ip);
  const account = accountHash(email);
  return {
    accountFromAddress: `login:account+address:${account}:${address}`,
    address: `login:address:${address}`,
    account: `login:account:${account}`,
  };
}

/** How the login limits name an account. Hashed: a key stays short whatever was typed, and the counters keep no email. */
export function accountHash(email: string): string {
  return createHash('sha256').update(email).digest('base64url');
}
