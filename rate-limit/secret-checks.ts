/**
 * Every place where a visitor's guess is checked against a secret, and what stops guessing at
 * speed. A test finds every comparison of a password or token in the code and fails when its
 * file is not listed here, then guesses wrong at each route until it answers 429: a check added
 * later cannot be forgotten.
 */
export const secretChecks = [
  { route: '/login', secret: 'an account password', checkedIn: 'controllers/auth.ts', limitedBy: 'per account from an address, per address and per account in all (LOGIN_*)' },
  { route: '/signup', secret: 'whether an email has an account', checkedIn: 'controllers/auth.ts', limitedBy: 'per address (SIGNUP_MAX_PER_ADDRESS)' },
  { route: '/instructor/token', secret: 'the instructor token', checkedIn: 'teaching/middleware/instructor-access.ts', limitedBy: 'per address (INSTRUCTOR_TOKEN_MAX_FAILURES_PER_ADDRESS)' },
  { route: '/account/password', secret: 'the current password', checkedIn: 'controllers/account.ts', limitedBy: 'per account (LOGIN_MAX_FAILURES_PER_ACCOUNT)' },
  // Ending sessions asks for the password again (ASVS 5.0 7.5.2), counted with the password form's.
  { route: '/account/sessions/end', secret: 'the current password', checkedIn: 'controllers/account.ts', limitedBy: 'per account, with /account/password' },
  { route: '/account/sessions/end-others', secret: 'the current password', checkedIn: 'controllers/account.ts', limitedBy: 'per account, with /account/password' },
] as const;

/**
 * Comparisons that need no limit: a signature the server made, of 128 bits or more, cannot be
 * guessed at any speed, so each is listed here with what it protects instead.
 */
export const signatureChecks = [
  { checkedIn: 'teaching/middleware/instructor-access.ts', protects: 'an instructor grant (HMAC-SHA-256 with the token)' },
  { checkedIn: 'sessions/signed-cookie.ts', protects: 'a cookie-session login (HMAC with the session secret)' },
] as const;
