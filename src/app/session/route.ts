/** A tiny hash router: the few screens of the app, addressable and back-button friendly. */
import { useEffect, useState } from 'react';

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

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  return route;
}
