// One way to show a moment everywhere: in this browser's time zone, 24-hour, the date left out
// when it is today. The server writes <time datetime="…"> in UTC; this rewrites each one, also
// those that scripts add later.

const sameDay = (a, b) => a.toDateString() === b.toDateString();

export function formatTime(iso, { seconds = false } = {}) {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const time = { hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}), hourCycle: 'h23' };
  const date = sameDay(at, new Date()) ? {} : { day: 'numeric', month: 'short', year: 'numeric' };
  return new Intl.DateTimeFormat('en-GB', { ...date, ...time }).format(at);
}

// An instant written inside a sentence (a hint says until when a cookie lasts), in the same format.
const isoInstant = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z\b/g;
export function localTimesIn(text) {
  return text.replace(isoInstant, (iso) => formatTime(iso, { seconds: true }));
}

function showLocalTimes(root) {
  for (const time of root.querySelectorAll('time[datetime]')) {
    const local = formatTime(time.dateTime, { seconds: time.hasAttribute('data-seconds') });
    if (local && time.textContent !== local) time.textContent = local;
  }
}

showLocalTimes(document);
new MutationObserver(() => showLocalTimes(document)).observe(document.body, { childList: true, subtree: true });
