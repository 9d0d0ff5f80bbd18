import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The Location header of a redirect. */
  location: string | undefined;
  setCookies: string[];
  /** The body parsed as JSON. */
  json<T = unknown>(): T;
}

export interface BrowserOptions {
  /** The certificate to trust for an https:// origin (a self-signed one in tests). */
  ca?: string;
  /** How long one request may take before it fails the test instead of hanging it. */
  timeoutMs?: number;
  /** A new connection per request, so a connection the server dropped (a crash, an outage) is never reused. */
  freshConnections?: boolean;
}

const defaultTimeoutMs = 20_000;

/** Where and until when the browser sends a cookie the server set. */
interface CookieScope {
  path: string;
  expiresAt: number | undefined;
}

/**
 * The one HTTP client of the node tests. One browser: keeps the cookies the server sets and sends
 * them back where a browser would (within their Path, until they expire; no SameSite=None without
 * Secure), follows no redirects, and lets a test plant or read any cookie by name, as a student
 * does in the developer tools. Built on node:http so headers go out byte for byte, to this
 * process's app or to any other server (a child process, a proxy, HTTPS with a test certificate).
 */
export class Browser {
  /** Cookie values by name; a cookie planted here is sent on every path until the server replaces it. */
  readonly cookies = new Map<string, string>();
  readonly #scopes = new Map<string, CookieScope>();

  readonly origin: string;
  private readonly options: BrowserOptions;

  constructor(
    origin: string,
    options: BrowserOptions = {},
  ) {
    this.origin = origin;
    this.options = options;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
    return this.request('GET', path, { headers });
  }

  /** Posts a form's fields, URL-encoded as a browser sends them. */
  post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Reply> {
    const body = new URLSearchParams(fields).toString();
    return this.request('POST', path, { body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  }

  /** The `_csrf` value of the first form on a page. */
  async csrfToken(path = '/login'): Promise<string> {
    const page = await this.get(path);
    const token = csrfTokenIn(page.text);
    if (!token) throw new Error(`GET ${path} (status ${page.status}) has no form with a _csrf field.`);
    return token;
  }

  /** Posts a form the way the page would, with this browser's CSRF token. */
  async submit(path: string, fields: Record<string, string>, tokenPage = '/login'): Promise<Reply> {
    return this.post(path, { ...fields, _csrf: await this.csrfToken(tokenPage) });
  }

  logIn(email: string, password: string): Promise<Reply> {
    return this.submit('/login', { email, password });
  }

  signUp(email: string, password: string, confirmPassword = password): Promise<Reply> {
    return this.submit('/signup', { email, password, confirmPassword }, '/signup');
  }

  logOut(): Promise<Reply> {
    return this.submit('/logout', {}, '/');
  }

  /** The email the navigation shows as logged in, or undefined when it shows none. */
  async whoIsLoggedIn(): Promise<string | undefined> {
    return loggedInEmailIn((await this.get('/')).text);
  }

  /** The Cookie header this browser would send now to `path`. */
  cookieHeader(path = '/'): string {
    for (const [name, { expiresAt }] of this.#scopes) if (expiresAt !== undefined && expiresAt <= Date.now()) this.#forget(name);
    return [...this.cookies]
      .filter(([name]) => pathMatches(path, this.#scopes.get(name)?.path ?? '/'))
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
  }

  async request(method: string, path: string, { body, headers = {} }: { body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Reply> {
    const url = new URL(path, this.origin);
    const cookie = this.cookieHeader(url.pathname);
    const allHeaders = { ...(cookie ? { cookie } : {}), ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }), ...headers };
    const { ca, timeoutMs = defaultTimeoutMs, freshConnections = false } = this.options;
    const reply = await send(url, { method, headers: allHeaders, ca, timeout: timeoutMs, agent: freshConnections ? false : undefined }, body);
    for (const header of reply.setCookies) this.#remember(header, url.pathname);
    return reply;
  }

  #remember(setCookie: string, requestPath: string): void {
    const { name, value, attributes } = parseSetCookie(setCookie);
    // Chromium refuses SameSite=None without Secure, and so does this browser.
    if (attributes.get('samesite')?.toLowerCase() === 'none' && !attributes.has('secure')) return;
    const expiresAt = expiryOf(attributes);
    if (value === '' || (expiresAt !== undefined && expiresAt <= Date.now())) return this.#forget(name);
    this.cookies.set(name, value);
    this.#scopes.set(name, { path: attributes.get('path')?.startsWith('/') ? attributes.get('path')! : defaultPath(requestPath), expiresAt });
  }

  #forget(name: string): void {
    this.cookies.delete(name);
    this.#scopes.delete(name);
  }
}

/** Max-Age wins over Expires (RFC 6265 5.3); undefined: until the browser closes. */
function expiryOf(attributes: Map<string, string>): number | undefined {
  const maxAge = attributes.get('max-age');
  if (maxAge !== undefined && /^-?\d+$/.test(maxAge)) return Date.now() + Number(maxAge) * 1000;
  const expires = attributes.get('expires');
  return expires === undefined ? undefined : Date.parse(expires);
}

/** A cookie set without a Path belongs to the folder of the page that set it (RFC 6265 5.1.4). */
function defaultPath(requestPath: string): string {
  const lastSlash = requestPath.lastIndexOf('/');
  return lastSlash > 0 ? requestPath.slice(0, lastSlash) : '/';
}

/** Whether a cookie scoped to `cookiePath` is sent to `requestPath` (RFC 6265 5.1.4). */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  return requestPath.startsWith(cookiePath) && (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/');
}

export function csrfTokenIn(html: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
}

/** The email the navigation names as logged in (its data-logged-in-as attribute), or undefined when it names none. */
export function loggedInEmailIn(html: string): string | undefined {
  const attribute = /\sdata-logged-in-as="([^"]*)"/.exec(html)?.[1];
  return attribute === undefined ? undefined : unescapeHtml(attribute);
}

/** Undoes EJS's escaping (<%= %>), the only one our pages use. */
function unescapeHtml(text: string): string {
  const characters: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&#34;': '"', '&#39;': "'" };
  return text.replace(/&(?:amp|lt|gt|#34|#39);/g, (entity) => characters[entity]!);
}

export interface SetCookie {
  name: string;
  value: string;
  /** Attribute names in lower case; flags such as HttpOnly map to ''. */
  attributes: Map<string, string>;
}

export function parseSetCookie(header: string): SetCookie {
  const [pair = '', ...rest] = header.split(';');
  const separator = pair.indexOf('=');
  const attributes = new Map(
    rest.map((attribute) => {
      const [key = '', ...value] = attribute.trim().split('=');
      return [key.toLowerCase(), value.join('=')] as const;
    }),
  );
  return { name: pair.slice(0, separator).trim(), value: pair.slice(separator + 1).trim(), attributes };
}

interface SendOptions {
  method: string;
  headers: Record<string, string>;
  ca: string | undefined;
  timeout: number;
  agent: false | undefined;
}

function send(url: URL, { method, headers, ca, timeout, agent }: SendOptions, body: string | Buffer | undefined): Promise<Reply> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(url, { method, headers, ca, timeout, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          text,
          location: response.headers.location,
          setCookies: response.headers['set-cookie'] ?? [],
          json: <T>() => JSON.parse(text) as T,
        });
      });
    });
    request.on('timeout', () => request.destroy(new Error(`${method} ${url.pathname} got no answer within ${timeout} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}
