import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { appPerSuite } from '../support/app.ts';
import { productIdOf } from '../support/shop.ts';
import { Browser } from '../support/browser.ts';
import { databaseSnapshot } from '../support/database-snapshot.ts';
import { routesOf, type Route } from '../support/routes.ts';
import { demoUsers } from '../../models/seed.ts';

let postRoutes: Route[];
const shop = appPerSuite({ authMode: 'session' }, async () => {
  postRoutes = routesOf(shop().app).filter(({ method }) => method === 'POST');
});

interface Customer {
  browser: Browser;
  /** A product this customer added in the admin, so may edit and delete. */
  ownProductId: string;
  /** A product in this customer's cart. */
  cartProductId: string;
}

const productFields = { title: 'CSRF Lamp', price: '9.99', description: 'A lamp for the CSRF test.', imageUrl: '/images/lamp.svg' };

/** A form each POST route accepts, so a refusal can only be the missing token's doing. */
const validForms: Record<string, (customer: Customer) => Record<string, string>> = {
  'POST /login': () => ({ ...demoUsers.bob }),
  'POST /signup': () => ({ email: `csrf-${randomUUID()}@example.com`, password: 'csrf-secret', confirmPassword: 'csrf-secret' }),
  'POST /logout': () => ({}),
  'POST /cart': ({ ownProductId }) => ({ productId: ownProductId }),
  'POST /cart-delete-item': ({ cartProductId }) => ({ productId: cartProductId }),
  'POST /create-order': () => ({}),
  'POST /admin/add-product': () => productFields,
  'POST /admin/edit-product': ({ ownProductId }) => ({ ...productFields, productId: ownProductId, title: 'Renamed by CSRF' }),
  'POST /admin/delete-product': ({ ownProductId }) => ({ productId: ownProductId }),
  'POST /instructor/token': () => ({ token: shop().config.instructorToken ?? '' }),
  // Another store: had it gone through, the customer would find herself logged out.
  'POST /instructor/settings': () => ({ authMode: 'session', sessionStore: 'memory' }),
  'POST /instructor/sessions/end-all': () => ({}),
};

/** A new account, logged in, with a product of its own and another in its cart, and the instructor's key. */
async function newCustomer(): Promise<Customer> {
  const browser = new Browser(shop().url);
  const email = `customer-${randomUUID()}@example.com`;
  await browser.signUp(email, 'customer-secret');
  await browser.logIn(email, 'customer-secret');
  await browser.submit('/instructor/token', { token: shop().config.instructorToken ?? '' }, '/');
  await browser.submit('/admin/add-product', productFields, '/');
  const ownProductId = /\/admin\/edit-product\/([0-9a-f]{24})/.exec((await browser.get('/admin/products')).text)?.[1];
  assert.ok(ownProductId, 'the customer owns a product');
  const cartProductId = await productIdOf('Coffee Mug');
  await browser.submit('/cart', { productId: cartProductId }, '/');
  return { browser, ownProductId, cartProductId };
}

/** What a change would show: the database, the browser's cookies, and who it is logged in as. */
async function observe(browser: Browser) {
  const cookies = browser.cookieHeader();
  return { database: await databaseSnapshot(shop().config.mongodbUri!), cookies, loggedInAs: await browser.whoIsLoggedIn() };
}

test('S10 the route walk finds the POST routes we know of', () => {
  const found = postRoutes.map(({ path }) => path);
  for (const path of ['/login', '/logout', '/cart', '/create-order', '/admin/add-product']) assert.ok(found.includes(path), path);
});

test('S10 CSRF: every POST route without a token, with a wrong one or with another visitor\'s refuses with 403 and changes nothing', async () => {
  const otherVisitorsToken = await new Browser(shop().url).csrfToken('/login');
  for (const { path } of postRoutes) {
    const customer = await newCustomer();
    const ownToken = await customer.browser.csrfToken('/');
    const fields = validForms[`POST ${path}`]?.(customer) ?? {};
    await customer.browser.get(path); // what merely visiting the address records (the lessons track visitors) is not the POST's doing
    const before = await observe(customer.browser);
    const badTokens = { none: undefined, wrong: randomBytes(32).toString('hex'), 'one character off': `${ownToken.slice(0, -1)}${ownToken.endsWith('0') ? '1' : '0'}`, "another visitor's": otherVisitorsToken };
    for (const [kind, _csrf] of Object.entries(badTokens)) {
      const reply = await customer.browser.post(path, _csrf === undefined ? fields : { ...fields, _csrf });
      assert.equal(reply.status, 403, `POST ${path} with ${kind} token`);
      assert.match(reply.text, /This form has expired or did not come from this site\./);
    }
    assert.deepEqual(await observe(customer.browser), before, `POST ${path} changed something without a valid token`);
  }
});

test('S10 control: the same forms with the right token go through', async () => {
  for (const [route, form] of Object.entries(validForms)) {
    const customer = await newCustomer();
    const reply = await customer.browser.submit(route.replace(/^POST /, ''), form(customer), '/');
    assert.equal(reply.status, 302, `${route} answers ${reply.status}`);
  }
});

test('S10 no state change on GET: the GET twin of every POST route, sent the same fields and token, changes nothing', async () => {
  for (const { path } of postRoutes) {
    const customer = await newCustomer();
    const fields = validForms[`POST ${path}`]?.(customer) ?? {};
    await customer.browser.get(path); // a plain visit first: what it records is allowed
    const before = await observe(customer.browser);
    const query = new URLSearchParams({ ...fields, _csrf: await customer.browser.csrfToken('/') });
    const reply = await customer.browser.get(`${path}?${query}`);
    assert.ok([200, 302, 404].includes(reply.status), `GET ${path} answers ${reply.status}`);
    assert.deepEqual(await observe(customer.browser), before, `GET ${path} changed something`);
  }
});
