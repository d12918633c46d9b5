/**
 * Redirects no crawler may follow, by path: to schemes other than http(s), to an http URL
 * with no host, and to a Location that is no URL at all. Each answers 302 with that
 * Location, as a misconfigured or hostile server would.
 */
export const hostileRedirects: Readonly<Record<string, string>> = {
  '/redirect/file': 'file:///etc/passwd',
  '/redirect/gopher': 'gopher://127.0.0.1:6379/_INFO',
  '/redirect/data': 'data:text/html,<h1>Not a page</h1>',
  '/redirect/empty-host': 'http://',
  '/redirect/not-a-url': 'http://[not-a-url',
};
