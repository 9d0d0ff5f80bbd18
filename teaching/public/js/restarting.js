// The restart page: asks /healthz until a new process answers (another boot id), then goes back.
// While no process serves, the server's supervisor holds each request until the new one is up, so
// no request fails; a fetch that still fails (the server stopped for good) is tried again quietly.
const pollMs = 500;
const status = document.querySelector('[data-restart-status]');
const { bootId, returnTo } = status.dataset;

async function newProcessAnswers() {
  const response = await fetch('/healthz', { cache: 'no-store' }).catch(() => undefined);
  if (!response?.ok) return false;
  const health = await response.json().catch(() => ({}));
  return health.bootId !== bootId;
}

async function waitForRestart() {
  while (!(await newProcessAnswers())) await new Promise((resolve) => setTimeout(resolve, pollMs));
  status.textContent = 'The server is back. Going back…';
  location.assign(returnTo);
}

waitForRestart();
