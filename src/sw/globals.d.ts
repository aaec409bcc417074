/** The app version, defined by vite.config.ts (also for the service worker build). */
declare const __APP_VERSION__: string;
