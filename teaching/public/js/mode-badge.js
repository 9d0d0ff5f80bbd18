// The navigation's badge ("auth mode: … · session store: …") as the server reports it now: the
// instructor can switch the mode while pages stay open. Used by the pages that poll the server.
export function showModeBadge({ authMode, sessionStore }) {
  const badge = document.querySelector('.mode-badge');
  if (!badge) return;
  const text = badge.textContent.replace(/^auth mode: \S+ · session store: \S+/, `auth mode: ${authMode} · session store: ${sessionStore}`);
  if (text !== badge.textContent) badge.textContent = text;
}
