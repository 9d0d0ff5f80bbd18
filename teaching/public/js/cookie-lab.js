// Cookie lab: fills in what page scripts see (document.cookie) next to what the browser sent to
// the server, and keeps both current, so an expiring cookie can be watched as it disappears.
const table = document.querySelector('[data-cookie-lab]');
const pollMs = 2000;

function scriptVisibleCookies() {
  const entries = document.cookie.split('; ').filter(Boolean).map((pair) => {
    const index = pair.indexOf('=');
    return [pair.slice(0, index), pair.slice(index + 1)]; // lab values need no decoding
  });
  return new Map(entries);
}

function describe(value, missing) {
  return value === undefined ? missing : `Yes: ${value}`;
}

async function refresh() {
  const visible = scriptVisibleCookies();
  const response = await fetch('/lessons/cookie-attributes/sent-cookies', { cache: 'no-store', headers: { Accept: 'application/json' } });
  const sent = response.ok ? (await response.json()).cookies : undefined;
  for (const row of table.querySelectorAll('tr[data-cookie-name]')) {
    const name = row.dataset.cookieName;
    row.querySelector('[data-script-sees]').textContent = describe(visible.get(name), 'No');
    if (sent === undefined) continue;
    row.querySelector('[data-sent]').textContent = describe(sent[name], row.dataset.notSent);
  }
}

if (table) {
  refresh().catch(() => {});
  setInterval(() => refresh().catch(() => {}), pollMs);
}
