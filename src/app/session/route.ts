/** A tiny hash router: the few screens of the app, addressable and back-button friendly. */
import { startTransition, useEffect, useState } from 'react';

export const ROUTES = ['checkpoint', 'logbook', 'settings', 'shift-end', 'enroll'] as const;
export type Route = (typeof ROUTES)[number];

export function parseRoute(hash: string): Route {
  const name = hash.replace(/^#\/?/, '').split('?')[0] ?? '';
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'checkpoint';
}

export const hrefOf = (route: Route) => (route === 'checkpoint' ? '#/' : `#/${route}`);

export function navigate(route: Route): void {
  location.hash = hrefOf(route);
}

/**
 * The current route. A change is a transition: the screen shown stays until the next one's code
 * (and whatever it suspends for) is ready, instead of a "Loading…" fallback that React would then
 * keep for at least 300 ms before revealing the screen.
 */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onHash = () => startTransition(() => setRoute(parseRoute(location.hash)));
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  return route;
}
