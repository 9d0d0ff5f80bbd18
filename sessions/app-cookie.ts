import type { CookieOptions } from 'express';
import type { Config } from '../config.ts';

/** A cookie this app sets: the name to set and read it by, and the attributes to set it with. */
export interface AppCookie {
  name: string;
  options: CookieOptions;
}

/** What a cookie may choose for itself; where it is sent (Path, Domain) and Secure are decided here. */
export type OwnCookieOptions = Omit<CookieOptions, 'path' | 'domain' | 'secure'>;

/**
 * Every cookie the app sets is named here, so none misses the production rules. In production,
 * served over HTTPS, each name carries `__Host-`: the browser then takes it only with Secure,
 * Path=/ and no Domain, so neither a sibling subdomain nor a plain-HTTP page can plant or
 * overwrite it (RFC 6265bis, "Cookie Name Prefixes"). HttpOnly and SameSite=Lax unless the
 * cookie says otherwise.
 */
// lesson:https-in-production:start
export function appCookie({ isProduction }: Pick<Config, 'isProduction'>, baseName: string, options: OwnCookieOptions = {}): AppCookie {
  return {
    name: isProduction ? `__Host-${baseName}` : baseName,
    options: { httpOnly: true, sameSite: 'lax', ...options, secure: isProduction, path: '/' },
  };
}
// lesson:https-in-production:end
