// Placeholder until the sync engine lands.
export function SyncStatusBar() {
  return null;
}
