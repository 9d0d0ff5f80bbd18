import { STATUS_CODES, maxHeaderSize, type Server } from 'node:http';
import type { Duplex } from 'node:stream';

/*
 * What Node answers a request it cannot parse, before Express ever sees it. Node's own answers
 * (lib/_http_server.js, socketOnError) are a bare status line: 400, 408 for a request that took
 * too long, 431 for headers over --max-http-header-size (16 KiB by default). A browser shows a
 * bare 431 as an empty error, so this one gets a page that says what happened; the others stay
 * as Node sends them. Once a listener is attached Node answers nothing itself, hence all here.
 */

/** The 431 page: no request was parsed, so it knows nothing of the visitor, and it names no cookie. */
export const headerOverflowPage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>431 Request Header Fields Too Large</title></head>
<body>
<h1>431 Request Header Fields Too Large</h1>
<p>Your browser sent more than ${maxHeaderSize / 1024} KiB of request headers, so the server refused the request
before the shop could read it. Nearly always it is cookies: the browser sends every cookie of this host with every
request, and it keeps sending them, so every page of this host answers this until they are gone.</p>
<p>To get back in, delete the big cookies: in the developer tools, Application (Chrome) or Storage (Firefox),
then Cookies, then this host. If you made them with the snippet in lesson 7, run this in the console of this page:</p>
<pre>for (let i = 1; i &lt;= 5; i++) document.cookie = \`big\${i}=; Max-Age=0; Path=/\`;</pre>
<p>Then reload.</p>
</body>
</html>
`;

const closingGraceMs = 1000;

export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A reply only if nothing of a response went out on this connection yet, as Node does.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (!socket.writable || inFlight?.headersSent) return void socket.destroy(error);
    if (error.code === 'HPE_HEADER_OVERFLOW') {
      const body = Buffer.from(headerOverflowPage);
      socket.end(
        `HTTP/1.1 431 ${STATUS_CODES[431]}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${body.length}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${headerOverflowPage}`,
      );
      // The page is out once the client has read it; a client that never does is cut off.
      setTimeout(() => socket.destroy(), closingGraceMs).unref();
      return;
    }
    const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW' ? 413 : 400;
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n\r\n`);
    socket.destroy(error);
  });
}
