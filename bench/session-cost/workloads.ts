import { randomBytes } from 'node:crypto';
import type { Visitor } from './visitor.ts';

export interface Workload {
  name: string;
  /** Brings the visitor whose cookies every request of the run sends into shape. */
  prepare(visitor: Visitor): Promise<void>;
  /** Throws if the run changed who the visitor is (a login lost under load is a bug, not a figure). */
  verify(visitor: Visitor): Promise<void>;
  needsLogin: boolean;
}

/** The benchmark's own account, signed up on each shop: production seeds no password anyone knows. */
export const benchAccount = { email: 'bench@example.com', password: randomBytes(16).toString('hex') } as const;

const { email, password } = benchAccount;
const nothingToCheck = async () => {};

/* All three load the same page, the product list. */
export const workloads: readonly Workload[] = [
  {
    name: 'logged in',
    prepare: async (visitor) => {
      await visitor.signUp(email, password);
      await visitor.logIn(email, password);
    },
    verify: (visitor) => visitor.expectLoggedInAs(email),
    needsLogin: true,
  },
  {
    // Anonymous, with the cookie the login form gave it (browsing alone gives none): the signed
    // visitor cookie that holds its CSRF token, in every mode (an anonymous visitor has no session).
    name: 'returning visitor',
    prepare: async (visitor) => void (await visitor.get('/login')),
    verify: nothingToCheck,
    needsLogin: false,
  },
  {
    // No cookie at all, like a crawler: the product list has no form, so nothing is created.
    name: 'first visit',
    prepare: nothingToCheck,
    verify: nothingToCheck,
    needsLogin: false,
  },
];

/** The baseline cannot log in: its logged-in figure is the same page for a returning visitor. */
export const baselineStandIn: Readonly<Record<string, string>> = { 'logged in': 'returning visitor' };
