// Placeholder until the PWA bridge lands.
export function registerServiceWorker(): void {}
