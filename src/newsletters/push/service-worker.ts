// The service worker served at /push-sw.js on every site's origin: it shows each breaking alert as a
// notification (title, line; the payload's tag, so a correction replaces the alert it corrects instead of
// adding one) and opens the story when the reader clicks it. Plain script text, kept small and free of
// imports: a service worker is fetched and parsed by the browser on its own.
export const SERVICE_WORKER = `'use strict';
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (e) {}
  const title = typeof data.title === 'string' && data.title ? data.title : 'Breaking news';
  const options = { body: typeof data.body === 'string' ? data.body : '', data: { url: data.url } };
  if (typeof data.tag === 'string' && data.tag) options.tag = data.tag;
  event.waitUntil(self.registration.showNotification(title, options));
});
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  let url;
  try {
    url = new URL((event.notification.data && event.notification.data.url) || '/', self.location.origin);
  } catch (e) {
    url = new URL('/', self.location.origin);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') url = new URL('/', self.location.origin);
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((list) => {
      for (const c of list) if (c.url === url.href && 'focus' in c) return c.focus();
      return self.clients.openWindow(url.href);
    }),
  );
});
`;
