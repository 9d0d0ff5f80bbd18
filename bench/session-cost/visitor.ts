import { loggedInEmailIn } from '../../test/support/browser.ts';
import { behindTlsProxy } from './shop.ts';

/** Cookies as a browser keeps them: set by Set-Cookie headers, sent back in one Cookie header. */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  get header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  keep(setCookie: string): void {
    const [pair = '', ...attributes] = setCookie.split(';');
    const [name = '', value = ''] = pair.split(/=(.*)/s);
    const cleared = attributes.some((attribute) => /^\s*expires=.*1970/i.test(attribute));
    if (cleared) this.#cookies.delete(name.trim());
    else this.#cookies.set(name.trim(), value);
  }
}

/** One browser on the shop. */
export class Visitor {
  readonly #jar = new CookieJar();

  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  /** The Cookie header this browser sends (empty before its first visit). */
  get cookieHeader(): string {
    return this.#jar.header;
  }

  async get(path: string): Promise<Response> {
    return this.#request(path, { method: 'GET' });
  }

  async postForm(path: string, fields: Record<string, string>): Promise<Response> {
    return this.#request(path, { method: 'POST', body: new URLSearchParams(fields) });
  }

  /** Signs up through the signup form (production seeds no account whose password the benchmark could know). */
  async signUp(email: string, password: string): Promise<void> {
    const _csrf = csrfTokenIn(await (await this.get('/signup')).text());
    if (!_csrf) throw new Error('The signup page has no form with a _csrf field.');
    const answer = await this.postForm('/signup', { email, password, confirmPassword: password, _csrf });
    if (answer.status !== 302) throw new Error(`Signing up as ${email} answered ${answer.status}, not a redirect.`);
  }

  /** Logs in through the login form, then loads a page, as a browser following the redirect would. */
  async logIn(email: string, password: string): Promise<void> {
    const _csrf = csrfTokenIn(await (await this.get('/login')).text());
    if (!_csrf) throw new Error('The login page has no form with a _csrf field.');
    const answer = await this.postForm('/login', { email, password, _csrf });
    if (answer.status !== 302) throw new Error(`Logging in as ${email} answered ${answer.status}, not a redirect.`);
    await this.expectLoggedInAs(email);
  }

  async expectLoggedInAs(email: string): Promise<void> {
    const shown = loggedInEmailIn(await (await this.get('/products')).text());
    if (shown !== email) throw new Error(`Expected to be logged in as ${email}, the page shows ${shown ?? 'nobody'}.`);
  }

  async #request(path: string, init: RequestInit): Promise<Response> {
    const response = await fetch(new URL(path, this.baseUrl), {
      ...init,
      headers: { ...behindTlsProxy, cookie: this.cookieHeader },
      redirect: 'manual',
    });
    for (const setCookie of response.headers.getSetCookie()) this.#jar.keep(setCookie);
    return response;
  }
}

/** The `_csrf` value of the first form on a page. */
export function csrfTokenIn(html: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
}
